/** Message bodies with styles and mentions, parsed once into a tree that each output format walks. */
package org.chatarchive.renderers.richtext;

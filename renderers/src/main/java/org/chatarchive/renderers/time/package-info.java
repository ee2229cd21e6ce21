/** Time formatting for renderers: instants shown in one chosen zone, with offsets. */
package org.chatarchive.renderers.time;

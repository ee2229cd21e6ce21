package org.chatarchive.search;

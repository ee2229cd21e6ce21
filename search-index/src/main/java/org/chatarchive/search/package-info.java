/**
 * Search over an archive: {@link org.chatarchive.search.Indexer} builds and updates the Lucene index in the
 * archive's {@code index/} folder from the store; {@link org.chatarchive.search.ArchiveSearch} runs queries in the
 * {@link org.chatarchive.search.QueryLanguage} and returns {@link org.chatarchive.search.Hit}s with snippets.
 */
package org.chatarchive.search;

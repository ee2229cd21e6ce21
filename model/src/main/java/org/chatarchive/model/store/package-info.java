/**
 * The archive store: the canonical JSON form of the model on disk ({@link org.chatarchive.model.store.CanonicalJson}),
 * written by streaming through a private staging directory ({@link org.chatarchive.model.store.ArchiveWriter}) and
 * read back by streaming ({@link org.chatarchive.model.store.ArchiveReader}). The format is described in
 * {@code docs/archive-format.md}; its JSON Schemas are resources under {@code org/chatarchive/model/schema/}.
 */
package org.chatarchive.model.store;

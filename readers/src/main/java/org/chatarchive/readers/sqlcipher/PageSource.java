package org.chatarchive.readers.sqlcipher;

import java.io.IOException;

/** Plaintext pages of one database state, numbered from 1 as SQLite numbers them. */
@FunctionalInterface
interface PageSource {

    /** Page {@code pgno}: exactly page-size bytes; page 1 includes the 100-byte database header. */
    byte[] page(long pgno) throws IOException;
}

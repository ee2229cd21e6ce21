package org.chatarchive.cli;

import java.security.MessageDigest;

import org.chatarchive.model.ArchiveInfo;
import org.chatarchive.model.store.CanonicalJson;
import org.chatarchive.model.store.Manifest;
import org.chatarchive.model.store.UnknownContent;

/**
 * Loads and sets up, on a thread of its own while the command line is parsed, what nearly every command uses first:
 * the JSON mapper with its readers and writers for {@code archive.json} and {@code manifest.json}, and the digests
 * and ciphers. A run is one short-lived process; done here, on the second core, this no longer delays the first
 * read of an archive. Nothing is read or written: only classes are loaded and objects built, so a command that
 * needs none of it loses nothing.
 */
final class Warmup {

    private Warmup() {
    }

    static void start() {
        Thread t = new Thread(Warmup::run, "warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void run() {
        try {
            CanonicalJson.reader(ArchiveInfo.class, new UnknownContent());
            CanonicalJson.reader(Manifest.class, new UnknownContent());
            CanonicalJson.mapper().readTree("{\"formatVersion\":1,\"list\":[1,\"two\",{\"three\":3.0}],\"x\":null}");
            CanonicalJson.mapper().writerFor(ArchiveInfo.class);
            CanonicalJson.mapper().writerFor(Manifest.class);
            MessageDigest.getInstance("SHA-256").digest(new byte[64]);
            MessageDigest.getInstance("MD5").digest(new byte[64]);
            javax.crypto.Cipher.getInstance("AES/CBC/NoPadding");
            javax.crypto.Mac.getInstance("HmacSHA512");
        } catch (Exception | LinkageError e) {
            // only a head start: whatever fails here fails again, and is reported, where it is used
        }
    }
}

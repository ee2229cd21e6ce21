package org.chatarchive.renderers.html;

/**
 * The pages of quoted messages, so a quote can link to a message on another page. Only ids that some quote points
 * at are kept, as 64-bit hashes in an open-addressing table (12 bytes each): memory grows with the number of
 * quoted messages, not with the conversation.
 */
final class QuoteTargets {

    private long[] keys = new long[64];
    private int[] pages = new int[64];
    private int size;

    /** A 64-bit hash of a message id (never 0, which marks a free slot). */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /** Records that some quote points at {@code id}. */
    void want(String id) {
        long k = hash(id);
        int i = slot(k);
        if (keys[i] == 0) {
            keys[i] = k;
            size++;
            if (size * 2 > keys.length) {
                grow();
            }
        }
    }

    /** Records {@code page} for {@code id} if a quote points at it. */
    void seen(String id, int page) {
        if (size == 0) {
            return;
        }
        long k = hash(id);
        int i = slot(k);
        if (keys[i] == k && pages[i] == 0) {
            pages[i] = page;
        }
    }

    /** The page {@code id} was seen on, or 0 when it was not seen (yet). */
    int page(String id) {
        if (size == 0) {
            return 0;
        }
        long k = hash(id);
        int i = slot(k);
        return keys[i] == k ? pages[i] : 0;
    }

    /** Number of quoted ids. */
    int size() {
        return size;
    }

    private int slot(long k) {
        int mask = keys.length - 1;
        int i = (int) (k ^ (k >>> 32)) & mask;
        while (keys[i] != 0 && keys[i] != k) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldPages = pages;
        keys = new long[oldKeys.length * 2];
        pages = new int[oldKeys.length * 2];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                int i = slot(oldKeys[j]);
                keys[i] = oldKeys[j];
                pages[i] = oldPages[j];
            }
        }
    }
}

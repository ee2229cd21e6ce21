package org.chatarchive.readers.sqlcipher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a small change, a run writes the copy's page map as a delta of the map last written whole
 * ({@value MirrorStore#DELTA}): read back over that map, it is the map of a copy made anew of the same state, run
 * after run as the delta grows; a change to most pages writes the map whole again and removes the delta.
 */
class MirrorDeltaTest {

    static final String OWN = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String BOB = "bbbbbbbb-0000-4000-8000-000000000002";
    static final long T0 = 1_710_000_000_000L;

    @TempDir
    Path tmp;

    @Test
    void smallChangesWriteADeltaThatReadsAsTheWholeMap() throws Exception {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, "+15555550100");
        spec.privateChat("c-bob", "Bob Builder", "+15555550102", BOB);
        for (int i = 0; i < 400; i++) {
            spec.incoming("c-bob", "b" + i, T0 + i, "message " + i + " " + "x".repeat(300 + i % 7 * 100));
        }
        Path profile = SignalProfiles.build(spec, tmp.resolve("profile"));
        String key = SignalProfiles.keyOf(profile);
        Path mirror = tmp.resolve("mirror");
        open(profile, key, mirror, false);
        assertNull(state(mirror).getProperty("deltaCrc32c"), "a copy made anew has its map whole");
        byte[] base = Files.readAllBytes(mirror.resolve(MirrorStore.MAP));
        for (int round = 1; round <= 3; round++) {
            assertTrue(SignalProfiles.execute(profile, key, "UPDATE messages SET body = 'round " + round
                    + "' WHERE id = 'b" + round * 97 + "'") > 0);
            open(profile, key, mirror, true);
            assertNotNull(state(mirror).getProperty("deltaCrc32c"), "round " + round);
            assertTrue(Files.size(mirror.resolve(MirrorStore.DELTA)) < base.length, "round " + round);
            assertEquals(java.util.Arrays.toString(base),
                    java.util.Arrays.toString(Files.readAllBytes(mirror.resolve(MirrorStore.MAP))),
                    "the map written whole stays as it was");
            Path fresh = tmp.resolve("fresh" + round);
            open(profile, key, fresh, false);
            assertEquals(load(fresh), load(mirror), "round " + round);
        }
        // Most pages change: the map is written whole again, and the delta goes.
        SignalProfiles.execute(profile, key, "UPDATE messages SET body = body || ' and more'");
        open(profile, key, mirror, true);
        assertNull(state(mirror).getProperty("deltaCrc32c"));
        assertFalse(Files.exists(mirror.resolve(MirrorStore.DELTA)));
        Path fresh = tmp.resolve("fresh-whole");
        open(profile, key, fresh, false);
        assertEquals(load(fresh), load(mirror));
        // A damaged delta makes the copy unusable (made anew), never a wrong map.
        assertTrue(SignalProfiles.execute(profile, key, "UPDATE messages SET body = 'again' WHERE id = 'b5'") > 0);
        open(profile, key, mirror, true);
        byte[] delta = Files.readAllBytes(mirror.resolve(MirrorStore.DELTA));
        delta[delta.length / 2] ^= 1;
        Files.write(mirror.resolve(MirrorStore.DELTA), delta);
        Properties st = state(mirror);
        assertNull(MirrorStore.load(mirror, st.getProperty("salt"), st.getProperty("cipher"),
                Integer.parseInt(st.getProperty("pageSize"))).map());
    }

    private static void open(Path profile, String key, Path mirror, boolean incremental) throws Exception {
        try (DecryptedDatabase d = DecryptedDatabase.open(profile.resolve("sql").resolve("db.sqlite"),
                SqlCipherKey.parse(key), OpenOptions.defaults().withMirror(new OpenOptions.Mirror(mirror,
                        Set.of("messages", "conversations"), Set.of("items"), Map.of("messages",
                        List.of("conversationId")))))) {
            assertEquals(incremental, d.mirrorUse().orElseThrow().incremental());
        }
    }

    private static Properties state(Path mirror) throws Exception {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(mirror.resolve(MirrorStore.STATE), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }

    private static PageMap load(Path mirror) throws Exception {
        Properties st = state(mirror);
        MirrorStore s = MirrorStore.load(mirror, st.getProperty("salt"), st.getProperty("cipher"),
                Integer.parseInt(st.getProperty("pageSize")));
        assertNotNull(s);
        PageMap m = s.map();
        assertNotNull(m);
        return m;
    }
}

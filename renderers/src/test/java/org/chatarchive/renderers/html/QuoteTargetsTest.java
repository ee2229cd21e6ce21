package org.chatarchive.renderers.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuoteTargetsTest {

    @Test
    void keepsPagesOfQuotedIdsOnlyAcrossGrowth() {
        QuoteTargets q = new QuoteTargets();
        for (int i = 0; i < 50_000; i += 2) {
            q.want("signal-msg:" + i);
        }
        assertEquals(25_000, q.size());
        for (int i = 0; i < 50_000; i++) {
            q.seen("signal-msg:" + i, 1 + i / 1000);
        }
        for (int i = 0; i < 50_000; i++) {
            assertEquals(i % 2 == 0 ? 1 + i / 1000 : 0, q.page("signal-msg:" + i), "id " + i);
        }
        q.seen("signal-msg:0", 99);
        assertEquals(1, q.page("signal-msg:0"), "the first page an id was seen on wins");
        assertEquals(0, new QuoteTargets().page("anything"));
    }

    @Test
    void pageMenuStaysSmallForLongConversations() {
        int listed = 0;
        for (int n = 1; n <= 1000; n++) {
            if (HtmlSite.listed(n, 500, 1000)) {
                listed++;
            }
        }
        assertTrue(listed < 130, "listed " + listed);
        assertTrue(HtmlSite.listed(1, 500, 1000) && HtmlSite.listed(1000, 500, 1000) && HtmlSite.listed(495, 500, 1000));
        assertFalse(HtmlSite.listed(487, 500, 1000));
        for (int n = 1; n <= 50; n++) {
            assertTrue(HtmlSite.listed(n, 1, 50), "all of a short conversation's pages");
        }
    }
}

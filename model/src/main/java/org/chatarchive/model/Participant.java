package org.chatarchive.model;

import java.util.Map;

/**
 * A person who appears in the archive.
 *
 * @param id          stable id scoped by source, e.g. {@code signal:<aci>} or {@code signal-conv:<conversation id>}
 * @param displayName the name shown for this person
 * @param nameSource  which rule chose {@code displayName} (e.g. {@code nickname}, {@code system-contact},
 *                    {@code profile}, {@code phone}, {@code username}, {@code unknown})
 * @param phone       E.164 phone number, if known
 * @param username    username, if known
 * @param owner       whether this is the archive owner (the person whose device the data came from)
 * @param extra       anything the source has that the model does not name yet
 * @param avatar      the person's picture, if any
 */
public record Participant(
        String id,
        String displayName,
        String nameSource,
        String phone,
        String username,
        boolean owner,
        Map<String, Object> extra,
        Attachment avatar) {

    public Participant {
        extra = Values.map(extra);
    }

    /** A participant without a picture. */
    public Participant(String id, String displayName, String nameSource, String phone, String username, boolean owner,
                       Map<String, Object> extra) {
        this(id, displayName, nameSource, phone, username, owner, extra, null);
    }

    /** A copy of this participant with {@code avatar} as the picture. */
    public Participant withAvatar(Attachment avatar) {
        return new Participant(id, displayName, nameSource, phone, username, owner, extra, avatar);
    }
}

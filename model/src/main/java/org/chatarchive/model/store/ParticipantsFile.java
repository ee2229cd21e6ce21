package org.chatarchive.model.store;

import java.util.List;

import org.chatarchive.model.Participant;

/**
 * The content of {@code participants.json}.
 *
 * @param formatVersion the archive format version, as in {@code archive.json}
 * @param participants  everyone in the archive, in the source's stable order
 */
public record ParticipantsFile(int formatVersion, List<Participant> participants) {

    public ParticipantsFile {
        participants = participants == null ? List.of() : List.copyOf(participants);
    }
}

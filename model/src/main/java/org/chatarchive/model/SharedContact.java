package org.chatarchive.model;

import java.util.List;

/**
 * A contact card shared in a message.
 *
 * @param displayName  the contact's name
 * @param phones       phone numbers
 * @param emails       e-mail addresses
 * @param organization organization
 * @param avatar       the contact's picture
 */
public record SharedContact(
        String displayName,
        List<String> phones,
        List<String> emails,
        String organization,
        Attachment avatar) {

    public SharedContact {
        phones = Values.list(phones);
        emails = Values.list(emails);
    }
}

package org.chatarchive.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Normalises collections held by the model: never null, never mutable, maps sorted by key. */
final class Values {
    private Values() {
    }

    static <T> List<T> list(List<T> in) {
        return in == null || in.isEmpty() ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(in));
    }

    static Map<String, Object> map(Map<String, Object> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        // Sorted so that two equal maps always serialise identically.
        return Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(in)));
    }
}

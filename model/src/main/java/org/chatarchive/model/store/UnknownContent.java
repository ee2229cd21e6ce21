package org.chatarchive.model.store;

import java.io.IOException;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;

/**
 * Collects what a reader met but could not keep: properties and enum constants from a newer minor revision of
 * the format. Each is reported once, as {@code Type.property} or {@code EnumType=CONSTANT}.
 */
public final class UnknownContent {

    private final Set<String> seen = Collections.synchronizedSet(new TreeSet<>());

    private final DeserializationProblemHandler handler = new DeserializationProblemHandler() {
        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                             Object beanOrClass, String propertyName) throws IOException {
            Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
            seen.add(type.getSimpleName() + "." + propertyName);
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
                                             String failureMsg) {
            if (targetType.isEnum()) {
                seen.add(targetType.getSimpleName() + "=" + valueToConvert);
                return null;
            }
            return DeserializationProblemHandler.NOT_HANDLED;
        }
    };

    DeserializationProblemHandler handler() {
        return handler;
    }

    /** What was dropped so far, sorted; empty when the archive was read whole. */
    public Set<String> dropped() {
        synchronized (seen) {
            return Collections.unmodifiableSortedSet(new TreeSet<>(seen));
        }
    }
}

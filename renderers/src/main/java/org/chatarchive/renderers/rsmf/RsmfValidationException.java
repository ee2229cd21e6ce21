package org.chatarchive.renderers.rsmf;

import java.io.IOException;
import java.util.stream.Collectors;

/** An RSMF file about to be written failed the validation gate; the file was not written. */
public final class RsmfValidationException extends IOException {

    private final transient RsmfReport report;

    public RsmfValidationException(String file, RsmfReport report) {
        super(file + " failed RSMF validation (" + report.errors().stream().map(RsmfProblem::category).distinct()
                .collect(Collectors.joining(", ")) + "): " + report.errors().stream().limit(5)
                .map(RsmfProblem::toString).collect(Collectors.joining("; ")));
        this.report = report;
    }

    public RsmfReport report() {
        return report;
    }
}

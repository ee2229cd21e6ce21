package org.chatarchive.renderers.rsmf;

import java.util.List;

/**
 * What an RSMF check found.
 *
 * @param problems every finding, errors and warnings, in the order found (EML, zip, manifest)
 */
public record RsmfReport(List<RsmfProblem> problems) {

    /** The overall result, as Relativity's validator names it. */
    public enum Result {
        Passed, PassedWithWarnings, Failed
    }

    public RsmfReport {
        problems = List.copyOf(problems);
    }

    public Result result() {
        if (problems.stream().anyMatch(p -> p.severity() == RsmfProblem.Severity.ERROR)) {
            return Result.Failed;
        }
        return problems.isEmpty() ? Result.Passed : Result.PassedWithWarnings;
    }

    public List<RsmfProblem> errors() {
        return problems.stream().filter(p -> p.severity() == RsmfProblem.Severity.ERROR).toList();
    }

    /** Whether some finding has {@code category}. */
    public boolean has(String category) {
        return problems.stream().anyMatch(p -> p.category().equals(category));
    }
}

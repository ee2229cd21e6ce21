package org.chatarchive.renderers.pdf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

/** Validates a file as PDF/A-2u with veraPDF; returns the failed rules (empty = compliant). */
public final class PdfA {

    static {
        VeraGreenfieldFoundryProvider.initialise();
    }

    private PdfA() {
    }

    public static List<String> failures(Path pdf) throws IOException {
        try (PDFAParser parser = Foundries.defaultInstance().createParser(pdf.toFile(), PDFAFlavour.PDFA_2_U)) {
            PDFAValidator validator = Foundries.defaultInstance().createValidator(PDFAFlavour.PDFA_2_U, false);
            ValidationResult r = validator.validate(parser);
            List<String> failed = r.getTestAssertions().stream()
                    .filter(a -> a.getStatus() == TestAssertion.Status.FAILED)
                    .map(a -> a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber() + ": " + a.getMessage()
                            + " @ " + a.getLocation().getContext())
                    .distinct().limit(30).toList();
            if (!r.isCompliant() && failed.isEmpty()) {
                return List.of("not compliant (no failed assertion reported)");
            }
            return failed;
        } catch (Exception e) {
            throw new IOException("veraPDF could not check " + pdf + ": " + e, e);
        }
    }
}

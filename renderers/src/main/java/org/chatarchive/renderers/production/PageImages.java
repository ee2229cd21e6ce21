package org.chatarchive.renderers.production;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.ImageOutputStream;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import org.chatarchive.model.store.PrivateFiles;

/**
 * Single-page images of a PDF's pages, the form review platforms load page images in: one black-and-white TIFF
 * per page, CCITT Group 4 compressed, with its resolution recorded. Uses the JDK's own TIFF writer; the images
 * carry no date, so the same PDF gives the same bytes.
 */
final class PageImages {

    private PageImages() {
    }

    /** Writes page {@code i} of {@code pdf} to {@code files.get(i)}; there must be one file per page. */
    static void write(Path pdf, List<Path> files, int dpi) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            if (doc.getNumberOfPages() != files.size()) {
                throw new IllegalArgumentException(pdf.getFileName() + " has " + doc.getNumberOfPages()
                        + " pages, not " + files.size());
            }
            PDFRenderer renderer = new PDFRenderer(doc);
            for (int i = 0; i < files.size(); i++) {
                BufferedImage img = renderer.renderImageWithDPI(i, dpi, ImageType.BINARY);
                tiff(img, dpi, files.get(i));
            }
        }
    }

    private static void tiff(BufferedImage img, int dpi, Path file) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("tiff");
        if (!writers.hasNext()) {
            throw new IOException("this Java runtime has no TIFF writer");
        }
        ImageWriter w = writers.next();
        try (FileChannel ch = PrivateFiles.create(file); OutputStream os = Channels.newOutputStream(ch);
             ImageOutputStream out = ImageIO.createImageOutputStream(os)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionType("CCITT T.6");
            IIOMetadata md = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), p);
            TIFFDirectory dir = TIFFDirectory.createFromMetadata(md);
            BaselineTIFFTagSet base = BaselineTIFFTagSet.getInstance();
            long[][] res = {{dpi, 1}};
            dir.addTIFFField(new TIFFField(base.getTag(BaselineTIFFTagSet.TAG_X_RESOLUTION), TIFFTag.TIFF_RATIONAL, 1, res));
            dir.addTIFFField(new TIFFField(base.getTag(BaselineTIFFTagSet.TAG_Y_RESOLUTION), TIFFTag.TIFF_RATIONAL, 1, res));
            dir.addTIFFField(new TIFFField(base.getTag(BaselineTIFFTagSet.TAG_RESOLUTION_UNIT),
                    BaselineTIFFTagSet.RESOLUTION_UNIT_INCH));
            w.write(null, new IIOImage(img, null, dir.getAsMetadata()), p);
        } finally {
            w.dispose();
        }
    }
}

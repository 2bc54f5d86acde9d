package io.hotsnap.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReportTest {

    @Test
    void fieldsAreQuotedOnlyWhenRfc4180NeedsIt() {
        assertEquals("lab1", CsvReport.field("lab1"));
        assertEquals("\"a,b\"", CsvReport.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvReport.field("say \"hi\""));
        assertEquals("\"two\nlines\"", CsvReport.field("two\nlines"));
    }

    @Test
    void aVmNamedLikeAFormulaIsWrittenAsTextThatNoSpreadsheetEvaluates() {
        String csv = CsvReport.render(List.of("vm"), List.of(List.of("=HYPERLINK(\"http://evil\",\"lab1\")")));
        assertEquals("vm\r\n\"'=HYPERLINK(\"\"http://evil\"\",\"\"lab1\"\")\"\r\n", csv);
        assertEquals("'+cmd", CsvReport.field("+cmd"));
        assertEquals("'-2+3", CsvReport.field("-2+3"));
        assertEquals("'@SUM(A1)", CsvReport.field("@SUM(A1)"));
        assertEquals("'\tx", CsvReport.field("\tx"));
        assertEquals("\"'\rx\"", CsvReport.field("\rx"));
    }

    @Test
    void negativeFiguresStayNumbers() {
        assertEquals("-1.25", CsvReport.field("-1.25"));
        assertEquals("-3", CsvReport.field("-3"));
    }
}

package io.hotsnap.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CsvReportTest {

    @Test
    void fieldsAreQuotedOnlyWhenRfc4180NeedsIt() {
        assertEquals("lab1", CsvReport.field("lab1"));
        assertEquals("\"a,b\"", CsvReport.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvReport.field("say \"hi\""));
        assertEquals("\"two\nlines\"", CsvReport.field("two\nlines"));
    }
}

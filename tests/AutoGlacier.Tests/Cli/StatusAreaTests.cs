using AutoGlacier.Cli.Output;

namespace AutoGlacier.Tests.Cli;

/// <summary>The live status lines on a narrow terminal: wrapped at a separator, so the percentage and ETA stay visible.</summary>
public class StatusAreaTests
{
    private const string Line = "backup reading: 0/1 files, 13.9 MiB/286.1 MiB (5%) read at 39.0 MiB/s, archive 1.0 MiB, 0:00:00 elapsed  ETA 0:00:06";

    [Fact]
    public void A_line_wider_than_an_80_column_terminal_is_wrapped_after_a_comma_and_keeps_every_part()
    {
        var rows = StatusArea.Wrap(Line, 79).ToList();

        Assert.Equal(["backup reading: 0/1 files, 13.9 MiB/286.1 MiB (5%) read at 39.0 MiB/s,", "  archive 1.0 MiB, 0:00:00 elapsed  ETA 0:00:06"], rows);
    }

    [Fact]
    public void The_redraw_goes_up_as_many_rows_as_the_wrapped_lines_took()
    {
        var screen = new StringWriter();
        var area = new StatusArea(screen, live: true, width: () => 40);

        area.Show([Line, "  /home/me/a/very/long/path/that/has/no/separator/at/all/file.bin"], now: true);
        string drawn = screen.ToString();
        area.Clear();

        string[] rows = drawn.TrimEnd('\n').Split('\n');
        Assert.All(rows, row => Assert.True(row.Length <= 39, $"'{row}' is wider than the terminal"));
        Assert.Contains(rows, row => row.Contains("(5%)", StringComparison.Ordinal));
        Assert.Contains(rows, row => row.Contains("ETA 0:00:06", StringComparison.Ordinal));
        Assert.EndsWith("…tor/at/all/file.bin", rows[^1]); // no separator: shortened in the middle, the file name kept
        Assert.Equal($"\u001b[{rows.Length}A\r\u001b[J", screen.ToString()[drawn.Length..]);
    }
}

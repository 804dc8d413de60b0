using System.Text;

namespace AutoGlacier.Cli.Output;

/// <summary>
/// stdout for results (and stderr for messages): clears the live status lines before anything is written, because on
/// a terminal stdout and stderr share the screen and a line printed below the status lines would be erased with them.
/// </summary>
internal sealed class ResultWriter(TextWriter inner, StatusArea status) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        status.Clear();
        inner.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        status.Clear();
        inner.Write(buffer, index, count);
    }

    public override void Write(string? value)
    {
        status.Clear();
        inner.Write(value);
    }

    public override void WriteLine(string? value)
    {
        status.Clear();
        inner.WriteLine(value);
    }

    public override Task WriteAsync(string? value)
    {
        status.Clear();
        return inner.WriteAsync(value);
    }

    public override Task WriteLineAsync(string? value)
    {
        status.Clear();
        return inner.WriteLineAsync(value);
    }

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        status.Clear();
        return inner.WriteLineAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();
}

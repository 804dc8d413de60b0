// CPU seconds and output size of our parallel .xz compressor (ParallelXzCompressorStream: 8 MiB blocks, entropy skip,
// liblzma's raw LZMA2 encoder) with different encoder options, on one input file (e.g. the tar of a corpus).
// Usage: dotnet tools/LzmaBench/bin/Release/net10.0/LzmaBench.dll INPUT [--every K] [--threads T] [--write FILE] SETTING...
//   SETTING   "default" (LzmaTuning.EncoderSettings(6)) or overrides of it, comma-separated:
//             mf=hc3|hc4|bt2|bt3|bt4, nice=N, depth=N, mode=fast|normal, dict=MiB, preset=N (base preset instead of 6)
//   --every K compress only every K-th block (blocks are independent, so sizes and CPU seconds scale; compare
//             settings within one run)
//   --write F also write the .xz of the last setting to F (check it with `xz -t F`)
// CPU seconds are the process's user + sys (getrusage, via Process.TotalProcessorTime) while compressing: on a shared
// machine they are what to compare, not wall seconds.
using System.Diagnostics;
using System.Globalization;
using AutoGlacier.Compression.Lzma;

var input = args.Length > 0 ? args[0] : throw new ArgumentException("usage: LzmaBench INPUT [--every K] [--threads T] [--write FILE] SETTING...");
var every = 1;
var threads = 2;
string? writePath = null;
var settings = new List<string>();
for (var i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--every": every = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--write": writePath = args[++i]; break;
        default: settings.Add(args[i]); break;
    }
}

Console.WriteLine($"input {input}, every {every}. block of {LzmaTuning.BlockSize >> 20} MiB, {threads} threads, load {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("| settings | input bytes | output bytes | output/input | CPU s | MB per CPU s | wall s |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
for (var i = 0; i < settings.Count; i++)
{
    var chosen = Parse(settings[i]);
    using var sink = i == settings.Count - 1 && writePath is not null ? File.Create(writePath) : (Stream)new CountingSink();
    var (inBytes, cpu, wall) = Compress(input, every, chosen, threads, sink);
    var outBytes = sink.Length;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {chosen.Describe()} | {inBytes:N0} | {outBytes:N0} | {(double)outBytes / inBytes:F4} | {cpu:F1} | {inBytes / 1e6 / cpu:F2} | {wall:F1} |"));
}

static (long InputBytes, double CpuSeconds, double WallSeconds) Compress(
    string path, int every, LzmaEncoderSettings settings, int threads, Stream sink)
{
    var block = new byte[LzmaTuning.BlockSize];
    long inputBytes = 0;
    var process = Process.GetCurrentProcess();
    process.Refresh();
    var cpuBefore = process.TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    using (var file = File.OpenRead(path))
    using (var xz = new ParallelXzCompressorStream(sink, leaveOpen: true, settings, threads, LzmaTuning.BlockSize))
    {
        for (long index = 0; index * block.Length < file.Length; index++)
        {
            if (index % every != 0)
            {
                continue;
            }

            file.Position = index * block.Length;
            var length = file.ReadAtLeast(block, block.Length, throwOnEndOfStream: false);
            xz.Write(block, 0, length);
            inputBytes += length;
        }
    }

    process.Refresh();
    return (inputBytes, (process.TotalProcessorTime - cpuBefore).TotalSeconds, wall.Elapsed.TotalSeconds);
}

static LzmaEncoderSettings Parse(string spec)
{
    var preset = LzmaTuning.DefaultLevel;
    var overrides = spec == "default" ? [] : spec.Split(',').Select(part => part.Split('=')).ToList();
    foreach (var kv in overrides.Where(kv => kv[0] == "preset"))
    {
        preset = int.Parse(kv[1], CultureInfo.InvariantCulture);
    }

    var settings = LzmaTuning.EncoderSettings(preset);
    foreach (var kv in overrides)
    {
        settings = kv[0] switch
        {
            "preset" => settings,
            "mf" => settings with { MatchFinder = Enum.Parse<LzmaMatchFinder>(kv[1], ignoreCase: true) },
            "nice" => settings with { NiceLength = uint.Parse(kv[1], CultureInfo.InvariantCulture) },
            "depth" => settings with { Depth = uint.Parse(kv[1], CultureInfo.InvariantCulture) },
            "mode" => settings with { Mode = Enum.Parse<LzmaMode>(kv[1], ignoreCase: true) },
            "dict" => settings with { DictionarySize = uint.Parse(kv[1], CultureInfo.InvariantCulture) << 20 },
            _ => throw new ArgumentException($"unknown setting '{kv[0]}' in '{spec}'"),
        };
    }

    return settings;
}

/// <summary>Counts what is written and keeps nothing.</summary>
internal sealed class CountingSink : Stream
{
    private long _length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => _length += count;
    public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
}

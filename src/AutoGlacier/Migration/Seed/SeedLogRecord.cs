using AutoGlacier.Vaults.Glacier;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoGlacier.Configuration;
using AutoGlacier.Encryption;
using AutoGlacier.Log;

namespace AutoGlacier.Migration.Seed;

/// <summary>
/// A run as the Python seed wrote it into JSON_DATABASE (keyed by its <c>time.time()</c> start). A run that failed
/// part-way holds only some of these fields, or none.
/// </summary>
internal sealed record SeedLogRecord
{
    [JsonPropertyName("JOB SUCCEED")] public bool? JobSucceeded { get; init; }
    [JsonPropertyName("TIMESTAMP")] public JsonElement? Timestamp { get; init; }
    [JsonPropertyName("timestring")] public string? TimeString { get; init; }
    [JsonPropertyName("compression")] public string? Compression { get; init; }
    [JsonPropertyName("archive_size")] public long? ArchiveSize { get; init; }
    [JsonPropertyName("used_public_key")] public string? UsedPublicKey { get; init; }
    [JsonPropertyName("public_key_path")] public string? PublicKeyPath { get; init; }
    [JsonPropertyName("region_name")] public string? RegionName { get; init; }
    [JsonPropertyName("vault_name")] public string? VaultName { get; init; }
    /// <summary>The archive description, under the seed's misspelt name.</summary>
    [JsonPropertyName("descryption")] public string? Description { get; init; }
    [JsonPropertyName("response")] public SeedUploadResponse? Response { get; init; }

    /// <summary>
    /// Our view of the seed's run <paramref name="runKey"/> holding <paramref name="fileCount"/> files: start time from
    /// the key, status from "JOB SUCCEED" (absent: the run stopped before it wrote it), the archive from "response".
    /// </summary>
    public RunRecord ToRunRecord(string runKey, int fileCount)
    {
        var config = new SortedDictionary<string, string>(StringComparer.Ordinal);
        AddIfSet(config, ConfigKeys.RegionName, RegionName);
        AddIfSet(config, GlacierBackend.VaultName, VaultName);
        AddIfSet(config, ConfigKeys.Compression, Compression);
        AddIfSet(config, ConfigKeys.PublicKeyPath, PublicKeyPath);
        AddIfSet(config, "timestring", TimeString);
        return new RunRecord
        {
            Origin = SeedOrigins.JsonLog,
            Status = JobSucceeded switch { true => RunStatus.Succeeded, false => RunStatus.Failed, null => RunStatus.Incomplete },
            Error = JobSucceeded == false ? "the Python tool recorded \"JOB SUCCEED\": false" : null,
            StartedAt = SeedTime.FromKey(runKey) ?? default,
            Description = Description ?? "",
            Job = "autoglacier (Python seed)",
            Backend = "glacier",
            Region = RegionName,
            VaultLocation = RegionName is null && VaultName is null ? null : $"glacier:{RegionName}/{VaultName}",
            ArchiveId = Response?.ArchiveId,
            ArchiveLocation = Response?.Location,
            ArchiveTreeHash = Response?.Checksum?.ToLowerInvariant(),
            ArchiveSize = ArchiveSize,
            Compression = Compression ?? "lzma",
            RecipientFingerprints = Fingerprint(UsedPublicKey) is { } fingerprint ? [fingerprint] : [],
            FileHashAlgorithm = "sha512",
            FilesStored = fileCount,
            Config = config,
        };
    }

    private static void AddIfSet(SortedDictionary<string, string> config, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value)) { config[key] = value; }
    }

    /// <summary>The SHA-256 fingerprint of the public key the run used (as our runs record theirs), if it parses.</summary>
    private static string? Fingerprint(string? publicKeyPem)
    {
        if (string.IsNullOrWhiteSpace(publicKeyPem)) { return null; }
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(publicKeyPem);
            return KeyFingerprint.Hex(KeyFingerprint.Of(rsa));
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>The Glacier UploadArchive response the seed kept.</summary>
internal sealed record SeedUploadResponse
{
    [JsonPropertyName("archiveId")] public string? ArchiveId { get; init; }
    /// <summary>The archive's SHA-256 tree hash.</summary>
    [JsonPropertyName("checksum")] public string? Checksum { get; init; }
    [JsonPropertyName("location")] public string? Location { get; init; }
}

/// <summary>One file of a seed run.</summary>
internal sealed record SeedFileRecord
{
    [JsonPropertyName("SHA512")] public string? Sha512 { get; init; }
    [JsonPropertyName("mod_time")] public double? ModTime { get; init; }
    [JsonPropertyName("abs_path")] public string? AbsPath { get; init; }

    /// <summary>As our file records: the tar member name is the path without its leading "/".</summary>
    public FileRecord ToFileRecord() => new()
    {
        Path = AbsPath ?? "",
        ArchiveName = AbsPath?.TrimStart('/'),
        Hash = Sha512?.ToLowerInvariant(),
        Mtime = ModTime is { } seconds ? DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond)) : null,
    };
}

/// <summary>Seed times: run keys are Python <c>time.time()</c> floats written as strings.</summary>
internal static class SeedTime
{
    /// <summary>The instant a key like "1488837348.4431572" names, or null for a key that is not a number.</summary>
    public static DateTimeOffset? FromKey(string key)
    {
        if (!decimal.TryParse(key, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out decimal seconds)
            || seconds < 0 || seconds > 253_402_300_799m)
        {
            return null;
        }
        return DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
    }
}

[JsonSerializable(typeof(SeedLogRecord))]
[JsonSerializable(typeof(SeedFileRecord))]
internal sealed partial class SeedJsonContext : JsonSerializerContext;

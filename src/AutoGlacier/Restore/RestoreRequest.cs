using AutoGlacier.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Restore;

/// <summary>What to restore, from where, to where.</summary>
public sealed record RestoreRequest
{
    /// <summary>Configuration (vault, log).</summary>
    public required GteuConfig Config { get; init; }
    /// <summary>Which run or archive.</summary>
    public required RunSelector Selector { get; init; }
    /// <summary>Private key PEM file of one of the archive's recipients.</summary>
    public required string PrivateKeyPath { get; init; }
    /// <summary>Passphrase of the private key (never logged).</summary>
    public string? Passphrase { get; init; }
    /// <summary>Restore directory (entries land at DIR/&lt;absolute path without '/'&gt;).</summary>
    public required string TargetDirectory { get; init; }
    /// <summary>Only entries matching one of these globs (against the original absolute path); empty = all.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];
    /// <summary>Replace existing files.</summary>
    public bool Overwrite { get; init; }
    /// <summary>
    /// Leave out symlinks whose target is outside the restore directory (absolute links such as
    /// <c>/etc/alternatives/…</c>, or relative ones climbing out). By default every symlink is restored as stored;
    /// none is ever followed while restoring.
    /// </summary>
    public bool SkipExternalSymlinks { get; init; }
    /// <summary>Reports restore progress (retrieval wait, bytes read, files extracted), about four times a second.</summary>
    public IProgress<RestoreProgress>? Progress { get; init; }
    /// <summary>
    /// Cold-storage retrieval: tier, days, and whether to wait for it (the default, polling the vault) or stop with
    /// <see cref="RetrievalPendingException"/> once it is requested and recorded.
    /// </summary>
    public RetrievalOptions Retrieval { get; init; } = new();
    /// <summary>Logger (progress lines while waiting for a retrieval go here).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
    /// <summary>
    /// The vault to read from, for a backend of your own (any <see cref="Vaults.IVault"/>); null opens the one the
    /// configuration's BACKEND names. The caller keeps ownership: it is not disposed.
    /// </summary>
    public Vaults.IVault? Vault { get; init; }
}

/// <summary>What a restore or verify did.</summary>
public sealed record RestoreResult
{
    /// <summary>The run restored (null for an archive unknown to the log).</summary>
    public string? RunKey { get; init; }
    /// <summary>The archive read.</summary>
    public string? ArchiveId { get; init; }
    /// <summary>Regular files restored (or, for verify, checked) with a matching hash.</summary>
    public int FilesVerified { get; init; }
    /// <summary>Entries restored or checked in total.</summary>
    public int EntriesProcessed { get; init; }
    /// <summary>File bytes restored or checked.</summary>
    public long Bytes { get; init; }
    /// <summary>Symlinks left out on request because they point outside the restore directory (entry names).</summary>
    public IReadOnlyList<string> SkippedSymlinks { get; init; } = [];
    /// <summary>For a snapshot run: the archives of its chain that were read, with what each held of it (the plan); empty for a single archive.</summary>
    public IReadOnlyList<PlannedArchive> Plan { get; init; } = [];
    /// <summary>Everything that went wrong; empty on success.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
    /// <summary>0 success, 1 error.</summary>
    public int ExitCode => Problems.Count == 0 ? ExitCodes.Success : ExitCodes.Error;
}

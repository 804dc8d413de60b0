using AutoGlacier.Configuration;
using Microsoft.Extensions.Logging;

namespace AutoGlacier;

/// <summary>
/// A backup job: <b>G</b>athers files, <b>T</b>ars them, compresses, <b>E</b>ncrypts and <b>U</b>ploads them.
/// Derive from <see cref="GteuJob{TSelf}"/>, override what you need, and call <c>Backup.Run()</c>:
/// <code>
/// class Backup : GteuJob&lt;Backup&gt;
/// {
///     public override GteuConfig Config =&gt; ConfigLoader.LoadFile("~/AutoGlacier/config.json");
///     public override IEnumerable&lt;string&gt; Files =&gt; ["/home/me/view.sh", "/home/me/login.sh"];
///     public override IEnumerable&lt;string&gt; Globs =&gt; ["/home/me/scripts/*.sh"];
///     public override string Description =&gt; "shell scripts archive";
/// }
/// return Backup.Run().ExitCode;
/// </code>
/// </summary>
public abstract class GteuJob
{
    /// <summary>The configuration. Default: <see cref="DefaultPaths.ConfigFile"/> (~/.config/autoglacier/config.json).</summary>
    public virtual GteuConfig Config => ConfigLoader.LoadFile(DefaultPaths.ConfigFile);

    /// <summary>Explicit paths to back up (a leading "~/" means the home directory).</summary>
    public virtual IEnumerable<string> Files => [];

    /// <summary>Glob patterns whose matches are added to <see cref="Files"/> (<c>*</c>, <c>?</c>, <c>[...]</c>, and <c>**</c> for recursion).</summary>
    public virtual IEnumerable<string> Globs => [];

    /// <summary>The archive description (stored in the log, the manifest and the vault).</summary>
    public virtual string Description => GetType().Name;

    /// <summary>When true, directories in <see cref="Files"/> are stored with everything below them.</summary>
    public virtual bool RecurseDirectories => false;

    /// <summary>
    /// The series this job's snapshots belong to (with the vault): runs of one series build on each other
    /// (BACKUP_MODE, FULL_EVERY and CHANGE_DETECTION are <see cref="Config"/> settings). Default: the class name.
    /// </summary>
    public virtual string JobName => GetType().Name;

    /// <summary>True makes the next run a full snapshot whatever BACKUP_MODE and FULL_EVERY say.</summary>
    public virtual bool ForceFull => false;

    /// <summary>Where progress goes; null for none.</summary>
    public virtual IProgress<BackupProgress>? Progress => null;

    /// <summary>The logger factory; the default writes single-line messages to the console.</summary>
    public virtual ILoggerFactory LoggerFactory => DefaultLogging.Console;

    /// <summary>
    /// Called after <see cref="Files"/> and <see cref="Globs"/> are resolved and before any file is read. Add or
    /// remove absolute paths in <paramref name="files"/> (the seed's <c>gather_hook</c>).
    /// </summary>
    public virtual void GatherHook(IList<string> files) { }

    /// <summary>Runs this job instance.</summary>
    public Task<BackupResult> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        var logger = LoggerFactory.CreateLogger(GetType().Name);
        return BackupRunner.RunAsync(new BackupRequest
        {
            Config = () => Config,
            Files = Files,
            Globs = Globs,
            Description = Description,
            RecurseDirectories = RecurseDirectories,
            GatherHook = GatherHook,
            JobName = JobName,
            ForceFull = ForceFull,
            Logger = logger,
            Progress = Progress,
        }, cancellationToken);
    }
}

/// <summary>
/// The base class to derive jobs from, so that <c>Backup.Run()</c> works as a static call on the job class, exactly
/// as the seed's <c>Backup.run()</c> classmethod.
/// </summary>
/// <typeparam name="TSelf">The deriving job class itself.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000:Do not declare static members on generic types",
    Justification = "Backup.Run() as a static call on the job class is the seed's API, and the reason for the CRTP base.")]
public abstract class GteuJob<TSelf> : GteuJob where TSelf : GteuJob<TSelf>, new()
{
    /// <summary>Runs the job synchronously and returns its result (use <see cref="BackupResult.ExitCode"/> from Main).</summary>
    public static BackupResult Run() => RunAsync().GetAwaiter().GetResult();

    /// <summary>Runs the job.</summary>
    public static Task<BackupResult> RunAsync(CancellationToken cancellationToken = default) =>
        new TSelf().ExecuteAsync(cancellationToken);
}

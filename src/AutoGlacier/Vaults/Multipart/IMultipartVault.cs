namespace AutoGlacier.Vaults.Multipart;

/// <summary>A vault whose uploads go through the shared multipart engines, and can therefore be resumed.</summary>
internal interface IMultipartVault : IVault
{
    /// <summary>The backend's multipart operations.</summary>
    IMultipartBackend Multipart { get; }
}

/// <summary>Chooses the upload engine for an archive.</summary>
internal static class MultipartUploads
{
    /// <summary>Through a spool when <see cref="ArchiveUploadInfo.SpoolDirectory"/> is set (resumable), else from memory.</summary>
    public static IArchiveUpload Begin(IMultipartBackend backend, ArchiveUploadInfo info) =>
        info.SpoolDirectory is { } directory
            ? new SpooledArchiveUpload(backend, info, directory)
            : new BufferedArchiveUpload(backend, info);
}

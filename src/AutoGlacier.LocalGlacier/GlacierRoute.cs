namespace AutoGlacier.LocalGlacier;

/// <summary>A request matched to a Glacier operation: its name (as in the API reference), vault and resource id.</summary>
internal sealed record GlacierRoute(string Operation, string? Vault, string? Id)
{
    /// <summary>Maps method and decoded path segments (account id first) to an operation, or null when none matches.</summary>
    public static GlacierRoute? Match(string method, IReadOnlyList<string> segments)
    {
        if (segments.Count < 2 || segments[1] != "vaults")
        {
            return null;
        }

        if (segments.Count == 2)
        {
            return method == "GET" ? new GlacierRoute("ListVaults", null, null) : null;
        }

        string vault = segments[2];
        string? collection = segments.Count > 3 ? segments[3] : null;
        string? id = segments.Count > 4 ? segments[4] : null;
        string? operation = (segments.Count, collection, method) switch
        {
            (3, _, "PUT") => "CreateVault",
            (3, _, "GET") => "DescribeVault",
            (3, _, "DELETE") => "DeleteVault",
            (4, "archives", "POST") => "UploadArchive",
            (5, "archives", "DELETE") => "DeleteArchive",
            (4, "multipart-uploads", "POST") => "InitiateMultipartUpload",
            (4, "multipart-uploads", "GET") => "ListMultipartUploads",
            (5, "multipart-uploads", "PUT") => "UploadMultipartPart",
            (5, "multipart-uploads", "GET") => "ListParts",
            (5, "multipart-uploads", "POST") => "CompleteMultipartUpload",
            (5, "multipart-uploads", "DELETE") => "AbortMultipartUpload",
            (4, "jobs", "POST") => "InitiateJob",
            (4, "jobs", "GET") => "ListJobs",
            (5, "jobs", "GET") => "DescribeJob",
            (6, "jobs", "GET") when segments[5] == "output" => "GetJobOutput",
            _ => null,
        };
        return operation is null ? null : new GlacierRoute(operation, vault, id);
    }

    /// <summary>True for operations whose body is archive data (streamed to disk, hashed on the way).</summary>
    public bool HasDataBody => Operation is "UploadArchive" or "UploadMultipartPart";
}

using Microsoft.AspNetCore.Http;

namespace AutoGlacier.LocalGlacier;

/// <summary>Glacier's rule for x-amz-archive-description: at most 1,024 printable ASCII characters (0x20–0x7E).</summary>
internal static class ArchiveDescriptions
{
    public static string Read(HttpRequest request)
    {
        string description = request.Headers["x-amz-archive-description"].ToString();
        if (description.Length > 1024 || description.Any(c => c < 0x20 || c > 0x7E))
        {
            throw GlacierException.InvalidParameter("Invalid archive description: at most 1024 printable ASCII characters (0x20-0x7E) are allowed.");
        }

        return description;
    }
}

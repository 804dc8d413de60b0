using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace AutoGlacier.Vaults.S3;

/// <summary>Turns SDK exceptions into messages a user can act on (no stack trace, no secret).</summary>
internal static class S3Errors
{
    public static bool IsNotFound(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is null or "NoSuchKey" or "NotFound";

    public static bool IsInvalidObjectState(AmazonS3Exception e) => e.ErrorCode == "InvalidObjectState";

    /// <summary>An <see cref="AutoGlacierException"/> for <paramref name="e"/>; <paramref name="doing"/> says what failed.</summary>
    public static AutoGlacierException Translate(Exception e, string doing) => e switch
    {
        AutoGlacierException known => known,
        AmazonS3Exception { ErrorCode: "NoSuchBucket" } s3 =>
            new AutoGlacierException($"S3 error while {doing}: the bucket does not exist (NoSuchBucket). Check S3_BUCKET, REGION_NAME and ENDPOINT_URL.", s3),
        AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden } s3 =>
            new AutoGlacierException($"S3 refused access while {doing} ({s3.ErrorCode}: {s3.Message}). Check the credentials (AWS_PROFILE, " +
                "AWS_ACCESS_KEY_ID) and that their policy allows this action on the bucket and prefix.", s3),
        AmazonS3Exception s3 =>
            new AutoGlacierException($"S3 error while {doing}: {(int)s3.StatusCode} {s3.ErrorCode}: {s3.Message}", s3),
        AmazonClientException client =>
            new AutoGlacierException($"S3 client error while {doing}: {client.Message}", client),
        _ => new AutoGlacierException($"Error while {doing}: {e.Message}", e),
    };
}

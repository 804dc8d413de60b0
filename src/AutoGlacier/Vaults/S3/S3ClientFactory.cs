using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using AutoGlacier.Configuration;

namespace AutoGlacier.Vaults.S3;

/// <summary>Builds the S3 client from the configuration: endpoint, region, credentials, retries.</summary>
/// <remarks>
/// Credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY when set; else the named AWS_PROFILE; else the SDK's default
/// chain (environment variables, then the shared profile files honouring the AWS_PROFILE environment variable, then
/// container/instance roles). Retries use the SDK's standard mode (exponential backoff with jitter on throttling,
/// 5xx and I/O errors), with more attempts than its default because a backup should ride out a bad minute.
/// </remarks>
internal static class S3ClientFactory
{
    /// <summary>How many times one request is retried.</summary>
    public const int MaxRetries = 8;

    /// <summary>Creates a client for <paramref name="config"/>.</summary>
    /// <exception cref="ConfigurationException">AWS_PROFILE names a profile that does not exist.</exception>
    public static AmazonS3Client Create(GteuConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var s3Config = new AmazonS3Config
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = MaxRetries,
            AuthenticationRegion = config.RegionName,
        };
        if (config.EndpointUrl is { } endpoint)
        {
            // S3-compatible servers (and local tests) answer at one host: bucket in the path, not in the host name.
            s3Config.ServiceURL = endpoint;
            s3Config.ForcePathStyle = true;
        }
        else
        {
            s3Config.RegionEndpoint = RegionEndpoint.GetBySystemName(config.RegionName);
        }

        AWSCredentials? credentials = Credentials(config);
        return credentials is null ? new AmazonS3Client(s3Config) : new AmazonS3Client(credentials, s3Config);
    }

    private static AWSCredentials? Credentials(GteuConfig config)
    {
        if (config.AwsAccessKeyId is { } id && config.AwsSecretAccessKey is { } secret)
        {
            return new BasicAWSCredentials(id, secret);
        }

        if (config.AwsProfile is { } profile)
        {
            return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out AWSCredentials found)
                ? found
                : throw new ConfigurationException($"AWS_PROFILE = \"{profile}\" is not in the AWS config or credentials files; " +
                    "allowed: a profile name from ~/.aws/credentials or ~/.aws/config (or null for the default chain).");
        }

        return null;
    }
}

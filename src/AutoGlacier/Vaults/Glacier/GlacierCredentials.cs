using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>
/// Picks credentials: the configuration's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY when set; else the profile
/// named by the AWS_PROFILE key or environment variable; else AWS's default chain (environment variables, the
/// default profile, then container/instance sources).
/// </summary>
/// <remarks>
/// Profiles are read here, from AWS_SHARED_CREDENTIALS_FILE (or ~/.aws/credentials) and AWS_CONFIG_FILE, each time:
/// the SDK's default chain remembers file locations from its first use in the process.
/// </remarks>
internal static class GlacierCredentials
{
    public static AWSCredentials Resolve(string? accessKeyId, string? secretAccessKey, string? profile)
    {
        if (accessKeyId is not null && secretAccessKey is not null)
        {
            return new BasicAWSCredentials(accessKeyId, secretAccessKey);
        }

        // As in the AWS CLI: an explicit profile, then environment keys, then the AWS_PROFILE variable.
        if (string.IsNullOrEmpty(profile) && FromEnvironment() is { } environment)
        {
            return environment;
        }

        string? named = !string.IsNullOrEmpty(profile) ? profile : Environment.GetEnvironmentVariable("AWS_PROFILE");
        if (!string.IsNullOrEmpty(named))
        {
            var profiles = new CredentialProfileStoreChain(Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE"));
            return profiles.TryGetAWSCredentials(named, out AWSCredentials credentials)
                ? credentials
                : throw new ConfigurationException($"AWS_PROFILE '{named}' was not found in the AWS config or credentials files; create it (aws configure --profile {named}) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
        }

        try
        {
            // Remaining sources (SSO, web identity, container and instance roles) come from the SDK's chain.
            using var resolver = new DefaultAWSCredentialsIdentityResolver();
            return resolver.ResolveIdentity(null!);
        }
        catch (AmazonClientException ex)
        {
            throw new ConfigurationException(
                "No AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the configuration or the environment, or AWS_PROFILE to a profile in ~/.aws/credentials. (" + ex.GetType().Name + ")", ex);
        }
    }

    private static AWSCredentials? FromEnvironment()
    {
        string? id = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        string? secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        string? token = Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret))
        {
            return null;
        }

        return string.IsNullOrEmpty(token) ? new BasicAWSCredentials(id, secret) : new SessionAWSCredentials(id, secret, token);
    }
}

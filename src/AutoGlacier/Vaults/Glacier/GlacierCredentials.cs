using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>
/// Picks credentials: the configuration's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY when set, else the named
/// AWS_PROFILE, else AWS's default chain (environment variables, then ~/.aws profiles honouring AWS_PROFILE and
/// AWS_SHARED_CREDENTIALS_FILE).
/// </summary>
internal static class GlacierCredentials
{
    public static AWSCredentials Resolve(string? accessKeyId, string? secretAccessKey, string? profile)
    {
        if (accessKeyId is not null && secretAccessKey is not null)
        {
            return new BasicAWSCredentials(accessKeyId, secretAccessKey);
        }

        if (!string.IsNullOrEmpty(profile))
        {
            return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out AWSCredentials credentials)
                ? credentials
                : throw new ConfigurationException($"AWS_PROFILE '{profile}' was not found in the AWS config or credentials files; create it (aws configure --profile {profile}) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
        }

        try
        {
            using var resolver = new DefaultAWSCredentialsIdentityResolver();
            return resolver.ResolveIdentity(null!);
        }
        catch (AmazonClientException ex)
        {
            throw new ConfigurationException(
                "No AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the configuration or the environment, or AWS_PROFILE to a profile in ~/.aws/credentials. (" + ex.GetType().Name + ")", ex);
        }
    }
}

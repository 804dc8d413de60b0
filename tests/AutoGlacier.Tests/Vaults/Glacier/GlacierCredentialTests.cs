using Amazon.Runtime;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;
using AutoGlacier.Tests.Support;
using static AutoGlacier.Tests.Vaults.Glacier.GlacierVaultHarness;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>Credentials from config keys, environment variables and a profile file; a wrong secret is a clear error that never shows a secret.</summary>
public sealed class GlacierCredentialTests : IAsyncLifetime
{
    private const string WrongSecret = "wrong-secret-Hq2mXv9";
    private LocalGlacierFixture _glacier = null!;

    public async Task InitializeAsync() => _glacier = await LocalGlacierFixture.StartAsync();

    public async Task DisposeAsync() => await _glacier.DisposeAsync();

    [Fact]
    public async Task A_wrong_secret_fails_at_once_with_a_signature_error_and_no_secret_in_the_message()
    {
        using var vault = new GlacierVault(GlacierTestSettings.For(_glacier, vault: "creds", secret: WrongSecret));

        var error = await Assert.ThrowsAsync<GlacierServiceException>(() => vault.BeginUploadAsync(new ArchiveUploadInfo("1", "d"), CancellationToken.None));

        Assert.Equal("InvalidSignatureException", error.ErrorCode);
        Assert.Contains("Glacier DescribeVault failed for vault 'creds' in us-east-1", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_SECRET_ACCESS_KEY", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _glacier.Server.RequestCount("DescribeVault"));
        AssertNoSecret(error.ToString());
    }

    [Fact]
    public async Task Environment_variables_and_a_profile_file_are_used_when_the_config_has_no_keys()
    {
        using var dir = new TempDir();
        string credentials = dir.Write("credentials", $"""
            [backup]
            aws_access_key_id = {LocalGlacierFixture.AccessKey}
            aws_secret_access_key = {LocalGlacierFixture.SecretKey}
            """);
        string[] names = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_PROFILE", "AWS_EC2_METADATA_DISABLED"];
        Dictionary<string, string?> saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
            Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", dir.Combine("no-config"));
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", LocalGlacierFixture.AccessKey);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", LocalGlacierFixture.SecretKey);
            await AssertWorksAsync(GlacierCredentials.Resolve(null, null, null), "env");

            // Environment keys win over the AWS_PROFILE variable (as in the AWS CLI), not over the AWS_PROFILE key.
            Environment.SetEnvironmentVariable("AWS_PROFILE", "does-not-exist");
            await AssertWorksAsync(GlacierCredentials.Resolve(null, null, null), "env-over-profile");
            Environment.SetEnvironmentVariable("AWS_PROFILE", null);

            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", null);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", null);
            Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", credentials);
            await AssertWorksAsync(GlacierCredentials.Resolve(null, null, "backup"), "profile-key");

            Environment.SetEnvironmentVariable("AWS_PROFILE", "backup");
            await AssertWorksAsync(GlacierCredentials.Resolve(null, null, null), "profile-env");

            var missing = Assert.Throws<ConfigurationException>(() => GlacierCredentials.Resolve(null, null, "nope"));
            Assert.Contains("AWS_PROFILE 'nope'", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            foreach ((string name, string? value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    private async Task AssertWorksAsync(AWSCredentials credentials, string vaultName)
    {
        using var vault = new GlacierVault(GlacierTestSettings.For(_glacier, vault: vaultName) with { Credentials = credentials });
        byte[] data = RandomBytes(5000, seed: 1);
        StoredArchive stored = await StoreAsync(vault, data);
        Assert.Equal(data, await ReadAsync(vault, stored.ArchiveId));
    }

    private static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(WrongSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(LocalGlacierFixture.SecretKey, text, StringComparison.Ordinal);
    }
}

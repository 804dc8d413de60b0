using AutoGlacier.Configuration;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>The Glacier keys are real configuration keys with checked values, and BACKEND glacier opens a GlacierVault.</summary>
public sealed class GlacierConfigTests
{
    private static string Config(string extra) => $$"""
        {
          "BACKEND": "glacier",
          "REGION_NAME": "eu-west-1",
          "VAULT_NAME": "Photos",
          "AWS_ACCESS_KEY_ID": "AKIDCONFIG",
          "AWS_SECRET_ACCESS_KEY": "config-secret-77"{{extra}}
        }
        """;

    [Fact]
    public void Glacier_keys_load_and_the_factory_opens_a_glacier_vault()
    {
        GteuConfig config = ConfigLoader.Parse(Config("""
            , "ENDPOINT_URL": "http://127.0.0.1:9", "PART_SIZE_MB": 64, "UPLOAD_CONCURRENCY": 4,
              "CREATE_VAULT": true, "RETRIEVAL_TIER": "Bulk", "AWS_PROFILE": "backup"
            """), "test.json");

        Assert.Equal(("http://127.0.0.1:9", 64, 4, true, "Bulk", "backup"),
            (config.EndpointUrl, config.PartSizeMb, config.UploadConcurrency, config.CreateVault, config.RetrievalTier, config.AwsProfile));
        using var vault = (GlacierVault)VaultFactory.Create(config);
        Assert.Equal("glacier", vault.BackendName);
        Assert.Contains("eu-west-1/Photos", vault.Location, StringComparison.Ordinal);
        Assert.DoesNotContain("config-secret-77", config.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_reach_a_terabyte_in_ten_thousand_parts()
    {
        GteuConfig config = ConfigLoader.Parse(Config(""), "test.json");
        GlacierSettings settings = GlacierSettings.FromConfig(config);

        Assert.Equal((128, 2, false, "Standard"), (settings.PartSizeMb, settings.UploadConcurrency, settings.CreateVault, settings.RetrievalTier));
        Assert.True(settings.PartSize * GlacierSettings.GlacierMaxParts >= 1_000_000_000_000L);
    }

    [Fact]
    public void Part_sizes_follow_the_backend_rules()
    {
        // 1 MiB is a Glacier part size but below S3's 5 MiB minimum; 5 MiB is the reverse.
        ConfigLoader.Validate(ConfigLoader.Parse(Config(", \"PART_SIZE_MB\": 1"), "test.json"));
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Validate(ConfigLoader.Parse(Config(", \"PART_SIZE_MB\": 5"), "test.json")));
        Assert.Contains("power of two", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PART_SIZE_MB", "3", "power of two")]
    [InlineData("PART_SIZE_MB", "8192", "power of two")]
    [InlineData("PART_SIZE_MB", "2048", "from 1 to 1024")]
    [InlineData("PART_SIZE_MB", "0", "power of two")]
    [InlineData("UPLOAD_CONCURRENCY", "0", "1–64")]
    [InlineData("UPLOAD_CONCURRENCY", "65", "1–64")]
    [InlineData("RETRIEVAL_TIER", "\"Fast\"", "Bulk, Standard, Expedited")]
    [InlineData("CREATE_VAULT", "\"yes\"", "true or false")]
    [InlineData("ENDPOINT_URL", "\"ftp://x\"", "http(s)")]
    public void Bad_glacier_values_are_rejected_naming_key_and_allowed_values(string key, string value, string allowed)
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Validate(ConfigLoader.Parse(Config($", \"{key}\": {value}"), "test.json")));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(allowed, error.Message, StringComparison.Ordinal);
    }
}

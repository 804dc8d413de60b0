using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Vaults;

namespace AutoGlacier.Tests.Vaults;

/// <summary>
/// The backend registry drives configuration keys, validation, the log's configuration summary and the vault factory,
/// with the messages and log content of the code it replaced.
/// </summary>
public sealed class BackendRegistryTests
{
    /// <summary>A configuration every registered backend can open without a network call.</summary>
    private static GteuConfig OpenableAs(string backend) => new()
    {
        Backend = backend,
        LocalVaultDir = Path.Combine(Path.GetTempPath(), $"autoglacier-registry-{Guid.NewGuid():N}"),
        S3Bucket = "registry-test",
        S3StorageClass = "GLACIER",
        EndpointUrl = "http://127.0.0.1:9",
        AwsAccessKeyId = "AKIDREGISTRY",
        AwsSecretAccessKey = "registry-secret",
    };

    [Fact]
    public void An_unknown_backend_is_refused_with_the_messages_of_before_the_registry()
    {
        // Today's wording exactly; a backend added later extends the lists at their end.
        var parsed = Assert.Throws<ConfigurationException>(() => ConfigLoader.Parse("""{ "BACKEND": "tape" }""", "t.json", "/"));
        Assert.Matches("\n  BACKEND = \"tape\" is unknown; allowed: local, s3, glacier(, [a-z0-9]+)*\\.(\n|$)", parsed.Message);

        var opened = Assert.Throws<ConfigurationException>(() => VaultFactory.Create(new GteuConfig { Backend = "tape" }));
        Assert.Matches("^BACKEND 'tape' is not supported by this version of AutoGlacier; use 'local', 's3'(, '[a-z0-9]+')* or '[a-z0-9]+'\\.$", opened.Message);
        Assert.Contains("'glacier'", opened.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_backend_opens_a_vault_of_its_name_whose_capabilities_match_those_of_a_run_it_recorded()
    {
        Assert.Equal("local", BackendRegistry.All[0].Name); // the default first
        Assert.Subset(BackendRegistry.All.Select(b => b.Name).ToHashSet(), new HashSet<string> { "local", "s3", "glacier" });
        foreach (BackendDefinition backend in BackendRegistry.All)
        {
            GteuConfig config = OpenableAs(backend.Name);
            ConfigLoader.Validate(config);
            IVault vault = backend.Open(config);
            try
            {
                Assert.Equal(backend.Name, vault.BackendName);
                Assert.NotEmpty(backend.Description);
                var run = new RunRecord { Backend = backend.Name, Config = config.Summary() };
                Assert.Equivalent(vault.Capabilities, BackendRegistry.CapabilitiesOfRun(run), strict: true);
            }
            finally
            {
                (vault as IDisposable)?.Dispose();
                if (Directory.Exists(config.LocalVaultDir)) { Directory.Delete(config.LocalVaultDir, recursive: true); }
            }
        }
    }

    [Fact]
    public void Each_backends_keys_are_configuration_keys_and_reach_their_backend()
    {
        foreach (ConfigKey key in BackendRegistry.Keys)
        {
            ConfigLoader.Parse($$"""{ "{{key.Name}}": null }""", "t.json", "/"); // null: the default, accepted for every key
        }

        GteuConfig config = ConfigLoader.Parse("""
            { "BACKEND": "s3", "S3_BUCKET": "my-backups", "S3_STORAGE_CLASS": "STANDARD_IA", "VAULT_NAME": "Photos", "CREATE_VAULT": true, "LOCAL_VAULT_DIR": "/v" }
            """, "t.json", "/");
        Assert.Equal(("my-backups", "STANDARD_IA", "Photos", true, "/v"), (config.S3Bucket, config.S3StorageClass, config.VaultName, config.CreateVault, config.LocalVaultDir));
        using var vault = (AutoGlacier.Vaults.S3.S3Vault)VaultFactory.Create(config);
        Assert.Equal((30, "S3 STANDARD_IA"), (vault.Capabilities.MinimumStorageDays, vault.Capabilities.StorageName));
    }

    [Fact]
    public void The_logs_configuration_summary_keeps_its_keys()
    {
        IReadOnlyDictionary<string, string> summary = new GteuConfig().Summary();
        Assert.Equal(
            ["AWS_ACCESS_KEY_ID", "BACKEND", "BACKUP_MODE", "CHANGE_DETECTION", "COMPRESSION", "COMPRESSION_LEVEL", "ENDPOINT_URL", "FULL_EVERY",
             "JSON_DATABASE", "LOCAL_VAULT_DIR", "PUBL_RSA_KEY_PATH", "REGION_NAME", "RSA_PASSPHRASE", "S3_BUCKET", "S3_PREFIX", "S3_STORAGE_CLASS", "SPOOL_ARCHIVE", "TMP_DIR", "VAULT_NAME"],
            summary.Keys);
        Assert.Equal(("(none)", "autoglacier/", "DEEP_ARCHIVE", "autoglacier"),
            (summary["S3_BUCKET"], summary["S3_PREFIX"], summary["S3_STORAGE_CLASS"], summary["VAULT_NAME"]));
    }

    [Fact]
    public void A_backend_setting_without_a_property_is_set_on_a_copy()
    {
        var original = new GteuConfig();
        GteuConfig set = original.WithBackendSetting("TOY_SIZE", 3);

        Assert.Equal(3, set.BackendSettings["TOY_SIZE"]);
        Assert.Empty(original.BackendSettings);
        Assert.Empty(set.WithBackendSetting("TOY_SIZE", null).BackendSettings);
    }

    [Fact]
    public void A_run_of_a_backend_this_version_does_not_list_takes_the_capabilities_of_a_vault_of_that_name()
    {
        using var directory = new Local.TempVaultDirectory();
        var run = new RunRecord { Backend = CountingVault.Name };
        var vault = new CountingVault(new AutoGlacier.Vaults.Local.LocalVault(directory.VaultPath));

        Assert.Null(BackendRegistry.CapabilitiesOfRun(run));
        Assert.Same(vault.Capabilities, BackendRegistry.CapabilitiesOfRun(run, vault));
        Assert.Null(RunDeletion.MinimumStorageDaysOf(run));
    }
}

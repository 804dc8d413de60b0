using System.Text.Json.Nodes;
using AutoGlacier.Configuration;
using AutoGlacier.Tests.Log;

namespace AutoGlacier.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private const string Passphrase = "pass-PHRASE-secret-4417";
    private const string AwsSecret = "wJalrXUtnFEMI-AWS-SECRET-9921";

    private const string SeedConfig = $$"""
        {
          "COMPRESSION": "lzma",
          "TMP_DIR": "/tmp",
          "JSON_DATABASE": "/home/u/AutoGlacier/log.json",
          "RSA_PASSPHRASE": null,
          "PUBL_RSA_KEY_PATH": "/home/u/AutoGlacier/my_rsa_public.pem",
          "REGION_NAME": "eu-west-1",
          "VAULT_NAME": "TestVault1",
          "AWS_ACCESS_KEY_ID": "key",
          "AWS_SECRET_ACCESS_KEY": "key"
        }
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteConfig(string json, string name = "CONFIG.json")
    {
        string path = _dir.File(name);
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>The seed's settings with one key replaced (or added) by raw JSON.</summary>
    private static string SeedWith(string key, string rawValue)
    {
        JsonObject seed = JsonNode.Parse(SeedConfig)!.AsObject();
        seed[key] = JsonNode.Parse(rawValue);
        return seed.ToJsonString();
    }

    private static ConfigurationException Rejected(string json) =>
        Assert.Throws<ConfigurationException>(() => ConfigLoader.Parse(json, "test.json", "/base"));

    [Fact]
    public void The_seeds_config_file_loads_unchanged()
    {
        GteuConfig config = ConfigLoader.LoadFile(WriteConfig(SeedConfig));

        Assert.Equal("lzma", config.Compression);
        Assert.Equal("/tmp", config.TmpDir);
        Assert.Equal("/home/u/AutoGlacier/log.json", config.JsonDatabase);
        Assert.Null(config.RsaPassphrase);
        Assert.Equal(["/home/u/AutoGlacier/my_rsa_public.pem"], config.PublicKeyPaths);
        Assert.Equal("eu-west-1", config.RegionName);
        Assert.Equal("TestVault1", config.VaultName);
        Assert.Equal("key", config.AwsAccessKeyId);
        Assert.Equal("key", config.AwsSecretAccessKey);
        Assert.Equal("local", config.Backend);
    }

    [Fact]
    public void Several_recipients_and_all_supported_keys_load()
    {
        string json = SeedConfig.Replace("\"/home/u/AutoGlacier/my_rsa_public.pem\"", "[\"/k/a.pem\", \"/k/b.pem\"]")
            .Replace("\n}", ",\n \"COMPRESSION_LEVEL\": 9, \"COMPRESSION_THREADS\": 2, \"BACKEND\": \"local\", \"LOCAL_VAULT_DIR\": \"/v\"\n}");

        GteuConfig config = ConfigLoader.Parse(json, "test.json", "/base");

        Assert.Equal(["/k/a.pem", "/k/b.pem"], config.PublicKeyPaths);
        Assert.Equal(9, config.CompressionLevel);
        Assert.Equal(2, config.CompressionThreads);
        Assert.Equal("/v", config.LocalVaultDir);
    }

    [Fact]
    public void Null_values_mean_the_default()
    {
        GteuConfig config = ConfigLoader.Parse(
            """{ "COMPRESSION": null, "TMP_DIR": null, "COMPRESSION_LEVEL": null, "AWS_ACCESS_KEY_ID": null, "AWS_SECRET_ACCESS_KEY": null }""",
            "test.json", "/base");
        Assert.Equal(new GteuConfig(), config);
    }

    [Theory]
    [InlineData("COMPRESION", "COMPRESSION")]
    [InlineData("VAULTNAME", "VAULT_NAME")]
    [InlineData("tmp_dir", "TMP_DIR")]
    [InlineData("SOMETHING_ELSE", null)]
    public void An_unknown_key_is_named_with_the_closest_known_key(string key, string? suggestion)
    {
        ConfigurationException error = Rejected(SeedWith(key, "1"));

        Assert.Contains($"{key} is not a known configuration key", error.Message);
        if (suggestion is null)
        {
            Assert.DoesNotContain("Did you mean", error.Message);
        }
        else
        {
            Assert.Contains($"Did you mean '{suggestion}'?", error.Message);
        }
    }

    [Fact]
    public void Every_backend_is_recognised()
    {
        foreach (string backend in new[] { "local", "s3", "glacier" })
        {
            string json = SeedWith("BACKEND", $"\"{backend}\"");
            json = backend == "s3" ? json.Replace("{", "{ \"S3_BUCKET\": \"my-backups\",", StringComparison.Ordinal) : json;
            ConfigLoader.Validate(ConfigLoader.Parse(json, "test.json"));
        }

        Assert.Contains("BACKEND = \"tape\" is unknown; allowed: local, s3, glacier", Rejected(SeedWith("BACKEND", "\"tape\"")).Message);
    }

    [Theory]
    [InlineData("COMPRESSION", "\"gzip\"", "lzma, zstd, none")]
    [InlineData("COMPRESSION", "\"\"", "empty")]
    [InlineData("COMPRESSION", "3", "lzma, zstd, none")]
    [InlineData("COMPRESSION_LEVEL", "10", "0–9")]
    [InlineData("COMPRESSION_LEVEL", "-1", "0–9")]
    [InlineData("COMPRESSION_LEVEL", "\"6\"", "whole number")]
    [InlineData("COMPRESSION_LEVEL", "6.5", "whole number")]
    [InlineData("COMPRESSION_THREADS", "0", "1–")]
    [InlineData("COMPRESSION_THREADS", "true", "whole number")]
    [InlineData("TMP_DIR", "\"\"", "empty")]
    [InlineData("TMP_DIR", "[\"/tmp\"]", "a string")]
    [InlineData("JSON_DATABASE", "{}", "a string")]
    [InlineData("LOCAL_VAULT_DIR", "\"  \"", "empty")]
    [InlineData("PUBL_RSA_KEY_PATH", "[]", "non-empty array")]
    [InlineData("PUBL_RSA_KEY_PATH", "[\"/a.pem\", 5]", "a string")]
    [InlineData("PUBL_RSA_KEY_PATH", "42", "a string")]
    [InlineData("REGION_NAME", "\"Europe\"", "eu-west-1")]
    [InlineData("REGION_NAME", "5", "a string")]
    [InlineData("VAULT_NAME", "\"my vault!\"", "1–255 characters")]
    [InlineData("BACKEND", "\"ftp\"", "allowed: local")]
    [InlineData("AWS_ACCESS_KEY_ID", "\"\"", "empty")]
    [InlineData("S3_BUCKET", "\"Not_A_Bucket\"", "3–63 characters")]
    [InlineData("S3_STORAGE_CLASS", "\"GLACIER_DEEP\"", "DEEP_ARCHIVE, GLACIER, GLACIER_IR, STANDARD_IA, STANDARD")]
    [InlineData("RETRIEVAL_TIER", "\"Fast\"", "Bulk, Standard, Expedited")]
    [InlineData("CATALOG_STORAGE_CLASS", "\"DEEP_ARCHIVE\"", "readable without a restore request")]
    [InlineData("CATALOG_STORAGE_CLASS", "\"GLACIER\"", "STANDARD, GLACIER_IR, STANDARD_IA")]
    [InlineData("CATALOG_STORAGE_CLASS", "\"ONEZONE\"", "STANDARD, GLACIER_IR, STANDARD_IA")]
    [InlineData("RESTORE_DAYS", "0", "1–365")]
    [InlineData("RESTORE_DAYS", "366", "1–365")]
    [InlineData("PART_SIZE_MB", "4", "5–1024")]
    [InlineData("PART_SIZE_MB", "1025", "5–1024")]
    [InlineData("UPLOAD_CONCURRENCY", "0", "1–64")]
    [InlineData("ENDPOINT_URL", "\"ftp://x\"", "http(s) URL")]
    [InlineData("AWS_PROFILE", "\" \"", "empty")]
    public void A_bad_value_names_the_key_the_value_and_what_is_allowed(string key, string value, string allowed)
    {
        ConfigurationException error = Rejected(SeedWith(key, value));

        Assert.Contains(key, error.Message);
        Assert.Contains(allowed, error.Message);
        Assert.Contains("test.json", error.Message);
    }

    [Fact]
    public void A_level_out_of_the_zstd_range_is_rejected_for_zstd_only()
    {
        Assert.Equal(19, ConfigLoader.Parse("""{ "COMPRESSION": "zstd", "COMPRESSION_LEVEL": 19 }""", "t", "/").CompressionLevel);
        Assert.Contains("1–19", Rejected("""{ "COMPRESSION": "zstd", "COMPRESSION_LEVEL": 0 }""").Message);
        Assert.Contains("COMPRESSION_LEVEL", Rejected("""{ "COMPRESSION": "none", "COMPRESSION_LEVEL": 3 }""").Message);
    }

    [Theory]
    [InlineData("RSA_PASSPHRASE", $"[\"{Passphrase}\"]")]
    [InlineData("RSA_PASSPHRASE", "\"\"")]
    [InlineData("AWS_SECRET_ACCESS_KEY", $"{{\"k\": \"{AwsSecret}\"}}")]
    [InlineData("AWS_SECRET_ACCESS_KEY", "987654321987")]
    public void Secret_values_never_appear_in_errors(string key, string value)
    {
        ConfigurationException error = Rejected(SeedWith(key, value));

        Assert.Contains(key, error.Message);
        Assert.DoesNotContain(Passphrase, error.Message);
        Assert.DoesNotContain(AwsSecret, error.Message);
        Assert.DoesNotContain("987654321987", error.Message);
    }

    [Fact]
    public void A_secret_with_broken_json_escaping_is_not_quoted_in_the_syntax_error()
    {
        string json = SeedConfig.Replace("\"RSA_PASSPHRASE\": null", "\"RSA_PASSPHRASE\": \"x\\qSECRETTAIL\"");

        ConfigurationException error = Rejected(json);

        Assert.Contains("line 5", error.Message);
        Assert.DoesNotContain("SECRETTAIL", error.Message);
        Assert.DoesNotContain("'q'", error.Message);
    }

    [Fact]
    public void An_aws_secret_without_its_key_id_is_rejected_without_echoing_it()
    {
        ConfigurationException error = Rejected($$"""{ "AWS_SECRET_ACCESS_KEY": "{{AwsSecret}}" }""");
        Assert.Contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together", error.Message);
        Assert.DoesNotContain(AwsSecret, error.Message);
    }

    [Fact]
    public void Secrets_never_appear_in_the_configurations_text()
    {
        GteuConfig config = ConfigLoader.Parse(
            $$"""{ "RSA_PASSPHRASE": "{{Passphrase}}", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "{{AwsSecret}}" }""", "t", "/");

        Assert.Equal(Passphrase, config.RsaPassphrase);
        foreach (string text in new[] { config.ToString(), string.Join(",", config.Summary()), $"{config}" })
        {
            Assert.DoesNotContain(Passphrase, text);
            Assert.DoesNotContain(AwsSecret, text);
        }
    }

    [Fact]
    public void A_leading_tilde_is_the_home_directory()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        GteuConfig config = ConfigLoader.Parse(
            """{ "TMP_DIR": "~/tmp", "JSON_DATABASE": "~/AutoGlacier/log.json", "PUBL_RSA_KEY_PATH": ["~/k.pem", "~"] }""", "t", "/base");

        Assert.Equal(Path.Combine(home, "tmp"), config.TmpDir);
        Assert.Equal(Path.Combine(home, "AutoGlacier", "log.json"), config.JsonDatabase);
        Assert.Equal([Path.Combine(home, "k.pem"), home], config.PublicKeyPaths);
    }

    [Fact]
    public void Relative_paths_are_relative_to_the_config_files_directory()
    {
        Directory.CreateDirectory(_dir.File("conf"));
        string path = WriteConfig("""{ "JSON_DATABASE": "data/log.json", "LOCAL_VAULT_DIR": "../vault", "PUBL_RSA_KEY_PATH": "./k.pem" }""",
            Path.Combine("conf", "config.json"));

        GteuConfig config = ConfigLoader.LoadFile(path);

        Assert.Equal(_dir.File("conf", "data", "log.json"), config.JsonDatabase);
        Assert.Equal(_dir.File("vault"), config.LocalVaultDir);
        Assert.Equal([_dir.File("conf", "k.pem")], config.PublicKeyPaths);
    }

    [Fact]
    public void A_missing_file_names_the_path_and_the_default_location()
    {
        string path = _dir.File("nope.json");
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.LoadFile(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(DefaultPaths.ConfigFile, error.Message);
    }

    [Theory]
    [InlineData("{\n  \"COMPRESSION\": \"lzma\"\n  \"TMP_DIR\": \"/tmp\"\n}", "line 3")]
    [InlineData("{'COMPRESSION': 'lzma', 'RSA_PASSPHRASE': None}", "line 1")]
    public void Invalid_json_names_the_file_line_and_position(string json, string line)
    {
        string path = WriteConfig(json);
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.LoadFile(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(line, error.Message);
        Assert.Contains("position", error.Message);
    }

    [Fact]
    public void The_top_level_must_be_an_object_and_keys_appear_once()
    {
        Assert.Contains("JSON object", Rejected("[1]").Message);
        Assert.Contains("TMP_DIR appears more than once", Rejected("""{ "TMP_DIR": "/a", "TMP_DIR": "/b" }""").Message);
    }

    [Fact]
    public void Validate_applies_the_same_rules_to_a_config_built_in_code()
    {
        ConfigLoader.Validate(new GteuConfig());
        ConfigLoader.Validate(new GteuConfig { Compression = "zstd", CompressionLevel = 19, PublicKeyPaths = ["/k.pem"] });

        Assert.Contains("COMPRESSION_LEVEL", Assert.Throws<ConfigurationException>(() =>
            ConfigLoader.Validate(new GteuConfig { CompressionLevel = 42 })).Message);
        Assert.Contains("S3_BUCKET is required with BACKEND \"s3\"", Assert.Throws<ConfigurationException>(() =>
            ConfigLoader.Validate(new GteuConfig { Backend = "s3" })).Message);
        ConfigLoader.Validate(new GteuConfig { Backend = "s3", S3Bucket = "my-backups" });
        var error = Assert.Throws<ConfigurationException>(() =>
            ConfigLoader.Validate(new GteuConfig { AwsSecretAccessKey = AwsSecret, RsaPassphrase = "" }));
        Assert.Contains("RSA_PASSPHRASE", error.Message);
        Assert.DoesNotContain(AwsSecret, error.Message);
    }

    [Fact]
    public void The_s3_keys_load_with_their_defaults_and_values()
    {
        GteuConfig defaults = ConfigLoader.Parse("""{ "BACKEND": "s3", "S3_BUCKET": "my-backups" }""", "t", "/");
        GteuConfig set = ConfigLoader.Parse("""
            { "BACKEND": "s3", "S3_BUCKET": "my-backups", "S3_PREFIX": "", "S3_STORAGE_CLASS": "GLACIER", "RESTORE_DAYS": 30,
              "ENDPOINT_URL": "http://127.0.0.1:9000", "AWS_PROFILE": "backup", "PART_SIZE_MB": 64, "UPLOAD_CONCURRENCY": 4,
              "RETRIEVAL_TIER": "Bulk" }
            """, "t", "/");

        Assert.Equal(("s3", "my-backups", "autoglacier/", "DEEP_ARCHIVE", 7), (defaults.Backend, defaults.S3Bucket, defaults.S3Prefix, defaults.S3StorageClass, defaults.RestoreDays));
        Assert.Equal((null, null, null, null, null), (defaults.EndpointUrl, defaults.AwsProfile, defaults.PartSizeMb, defaults.UploadConcurrency, defaults.RetrievalTier));
        Assert.Equal(("", "GLACIER", 30), (set.S3Prefix, set.S3StorageClass, set.RestoreDays));
        Assert.Equal(("http://127.0.0.1:9000", "backup", 64, 4, "Bulk"), (set.EndpointUrl, set.AwsProfile, set.PartSizeMb, set.UploadConcurrency, set.RetrievalTier));
    }

    [Fact]
    public void CATALOG_STORAGE_CLASS_defaults_to_STANDARD_and_shows_in_the_summary_only_when_set()
    {
        GteuConfig defaults = ConfigLoader.Parse("""{ "BACKEND": "s3", "S3_BUCKET": "my-backups" }""", "t", "/");
        GteuConfig set = ConfigLoader.Parse("""{ "BACKEND": "s3", "S3_BUCKET": "my-backups", "CATALOG_STORAGE_CLASS": "GLACIER_IR" }""", "t", "/");

        Assert.Equal("STANDARD", AutoGlacier.Vaults.S3.S3VaultOptions.From(defaults).CatalogStorageClass);
        Assert.Equal("GLACIER_IR", AutoGlacier.Vaults.S3.S3VaultOptions.From(set).CatalogStorageClass);
        Assert.Equal("DEEP_ARCHIVE", AutoGlacier.Vaults.S3.S3VaultOptions.From(set).StorageClass);
        Assert.False(defaults.Summary().ContainsKey("CATALOG_STORAGE_CLASS"));
        Assert.Equal("GLACIER_IR", set.Summary()["CATALOG_STORAGE_CLASS"]);
    }
}

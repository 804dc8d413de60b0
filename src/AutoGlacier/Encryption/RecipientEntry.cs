namespace AutoGlacier.Encryption;

/// <summary>One recipient in a container header: whose key (fingerprint) and the AES key wrapped for it.</summary>
internal sealed record RecipientEntry(byte[] Fingerprint, byte[] WrappedKey)
{
    public string FingerprintHex => Convert.ToHexStringLower(Fingerprint);

    /// <summary>Never print the wrapped key: it is not secret, but records' default ToString would dump bytes.</summary>
    public override string ToString() => $"recipient {FingerprintHex}";
}

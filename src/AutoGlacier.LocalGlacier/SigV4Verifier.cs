using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AutoGlacier.LocalGlacier;

/// <summary>
/// Checks an AWS Signature Version 4 <c>Authorization</c> header the way AWS does: rebuild the canonical request
/// from what arrived, derive the signing key from the secret (HMAC chain date → region → service →
/// aws4_request), sign the string to sign, and compare in constant time.
/// </summary>
internal sealed class SigV4Verifier(string accessKey, string secretKey, TimeSpan clockSkew)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Throws a 403 <see cref="GlacierException"/> unless the request is signed with the configured key.</summary>
    /// <param name="request">The request (headers, raw path and query).</param>
    /// <param name="rawTarget">The request target exactly as sent (percent-encoding intact).</param>
    /// <param name="payloadHash">Lowercase hex SHA-256 of the body (from x-amz-content-sha256 or computed).</param>
    public void Verify(HttpRequest request, string rawTarget, string payloadHash)
    {
        string authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            throw new GlacierException(403, "MissingAuthenticationTokenException", "Missing Authentication Token: the request has no AWS4-HMAC-SHA256 Authorization header.");
        }

        Dictionary<string, string> fields = ParseFields(authorization[(Algorithm.Length + 1)..]);
        string[] scope = Field(fields, "Credential").Split('/');
        if (scope.Length != 5 || scope[3] != "glacier" || scope[4] != "aws4_request")
        {
            throw IncompleteSignature("Credential must be ACCESSKEY/yyyymmdd/region/glacier/aws4_request.");
        }

        if (scope[0] != accessKey)
        {
            throw new GlacierException(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        string amzDate = request.Headers["x-amz-date"].ToString();
        CheckDate(amzDate, scope[1]);
        string signedHeaders = Field(fields, "SignedHeaders");
        string canonical = CanonicalRequest(request, rawTarget, signedHeaders, payloadHash);
        string stringToSign = string.Join('\n', Algorithm, amzDate, string.Join('/', scope[1..]), Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
        byte[] expected = HMACSHA256.HashData(SigningKey(scope[1], scope[2]), Encoding.UTF8.GetBytes(stringToSign));
        byte[] given = ParseHex(Field(fields, "Signature"));
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            throw new GlacierException(403, "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
        }
    }

    private void CheckDate(string amzDate, string scopeDate)
    {
        if (!DateTime.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime signedAt) || !amzDate.StartsWith(scopeDate, StringComparison.Ordinal))
        {
            throw IncompleteSignature("x-amz-date must be yyyyMMddTHHmmssZ and match the credential scope date.");
        }

        if ((DateTime.UtcNow - signedAt).Duration() > clockSkew)
        {
            throw new GlacierException(403, "InvalidSignatureException", $"Signature expired: {amzDate} is too far from the server's time.");
        }
    }

    private static string CanonicalRequest(HttpRequest request, string rawTarget, string signedHeaders, string payloadHash)
    {
        int queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        string rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        string rawQuery = queryStart < 0 ? "" : rawTarget[(queryStart + 1)..];
        var builder = new StringBuilder();
        builder.Append(request.Method).Append('\n');

        // Non-S3 services sign the path as sent, encoded once more (so %2F becomes %252F).
        builder.Append(string.Join('/', rawPath.Split('/').Select(Encode))).Append('\n');
        builder.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (string name in signedHeaders.Split(';'))
        {
            if (!request.Headers.TryGetValue(name, out var values))
            {
                throw IncompleteSignature($"Signed header '{name}' is missing from the request.");
            }

            builder.Append(name).Append(':').Append(string.Join(',', values.Select(v => CollapseSpaces(v ?? "")))).Append('\n');
        }

        builder.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        return builder.ToString();
    }

    private static string CanonicalQuery(string rawQuery) => string.Join('&', rawQuery
        .Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair => pair.Split('=', 2))
        .Select(kv => (Key: Encode(Uri.UnescapeDataString(kv[0])), Value: Encode(Uri.UnescapeDataString(kv.Length > 1 ? kv[1] : ""))))
        .OrderBy(kv => kv.Key, StringComparer.Ordinal)
        .ThenBy(kv => kv.Value, StringComparer.Ordinal)
        .Select(kv => kv.Key + "=" + kv.Value));

    /// <summary>RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else %XX upper case.</summary>
    private static string Encode(string value)
    {
        var builder = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string CollapseSpaces(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private byte[] SigningKey(string date, string region)
    {
        byte[] key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, "glacier"u8);
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    private static Dictionary<string, string> ParseFields(string text) => text
        .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(field => field.Split('=', 2))
        .Where(kv => kv.Length == 2)
        .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);

    private static string Field(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out string? value) ? value : throw IncompleteSignature($"Authorization header lacks {name}=.");

    private static byte[] ParseHex(string hex)
    {
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw IncompleteSignature("Signature= is not hex.");
        }
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static GlacierException IncompleteSignature(string detail) => new(403, "IncompleteSignatureException", detail);
}

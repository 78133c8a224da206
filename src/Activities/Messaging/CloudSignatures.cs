using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Followup.Activities.Messaging;

/// <summary>
/// Alibaba Cloud's signature version 3 (ACS3-HMAC-SHA256): the canonical request (method, path, sorted query, the
/// signed headers, the body's SHA-256) hashed and signed with the AccessKey secret.
/// </summary>
public static class Acs3Signature
{
    public const string Algorithm = "ACS3-HMAC-SHA256";

    /// <summary>Name and value encoded by RFC 3986, sorted by name, joined with &amp;.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> query) =>
        string.Join('&', query.Select(p => (Name: Uri.EscapeDataString(p.Key), Value: Uri.EscapeDataString(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value}"));

    public static string CanonicalRequest(string method, string path, string canonicalQuery, IReadOnlyDictionary<string, string> headers, string hashedPayload)
    {
        var sorted = headers.Select(h => (Name: h.Key.ToLowerInvariant(), Value: h.Value.Trim())).OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        var canonicalHeaders = string.Concat(sorted.Select(h => $"{h.Name}:{h.Value}\n"));
        return $"{method}\n{path}\n{canonicalQuery}\n{canonicalHeaders}\n{SignedHeaders(headers)}\n{hashedPayload}";
    }

    public static string SignedHeaders(IReadOnlyDictionary<string, string> headers) =>
        string.Join(';', headers.Keys.Select(k => k.ToLowerInvariant()).Order(StringComparer.Ordinal));

    public static string Signature(string secret, string canonicalRequest) =>
        Hex.HmacSha256(Encoding.UTF8.GetBytes(secret), $"{Algorithm}\n{Hex.Sha256(canonicalRequest)}");

    /// <summary>The Authorization header for a request with these signed headers (host and every x-acs-* header).</summary>
    public static string Authorization(string accessKeyId, string secret, string method, string path, string canonicalQuery, IReadOnlyDictionary<string, string> headers, string hashedPayload) =>
        $"{Algorithm} Credential={accessKeyId},SignedHeaders={SignedHeaders(headers)},Signature={Signature(secret, CanonicalRequest(method, path, canonicalQuery, headers, hashedPayload))}";
}

/// <summary>
/// Tencent Cloud's signature v3 (TC3-HMAC-SHA256): a canonical request of the POSTed JSON with content-type and host
/// signed, under a key derived from the SecretKey, the UTC date of the timestamp and the service.
/// </summary>
public static class Tc3Signature
{
    public const string Algorithm = "TC3-HMAC-SHA256";
    public const string SignedHeaders = "content-type;host";

    public static string CanonicalRequest(string contentType, string host, string payload) =>
        $"POST\n/\n\ncontent-type:{contentType}\nhost:{host}\n\n{SignedHeaders}\n{Hex.Sha256(payload)}";

    public static string Date(long timestamp) => DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string StringToSign(long timestamp, string service, string canonicalRequest) =>
        $"{Algorithm}\n{timestamp.ToString(CultureInfo.InvariantCulture)}\n{Date(timestamp)}/{service}/tc3_request\n{Hex.Sha256(canonicalRequest)}";

    public static string Signature(string secretKey, long timestamp, string service, string canonicalRequest)
    {
        var date = HMACSHA256.HashData(Encoding.UTF8.GetBytes("TC3" + secretKey), Encoding.UTF8.GetBytes(Date(timestamp)));
        var serviceKey = HMACSHA256.HashData(date, Encoding.UTF8.GetBytes(service));
        var signing = HMACSHA256.HashData(serviceKey, "tc3_request"u8);
        return Hex.HmacSha256(signing, StringToSign(timestamp, service, canonicalRequest));
    }

    public static string Authorization(string secretId, string secretKey, long timestamp, string service, string canonicalRequest) =>
        $"{Algorithm} Credential={secretId}/{Date(timestamp)}/{service}/tc3_request, SignedHeaders={SignedHeaders}, Signature={Signature(secretKey, timestamp, service, canonicalRequest)}";
}

internal static class Hex
{
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string HmacSha256(byte[] key, string text) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
}

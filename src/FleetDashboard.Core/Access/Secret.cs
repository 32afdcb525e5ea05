using System.Security.Cryptography;
using System.Text;

namespace FleetDashboard.Core.Access;

/// <summary>
/// Bearer secrets (provisioning keys, device credentials, wall display links): 256 random bits, shown once,
/// kept only as a SHA-256 hash. They are random, not chosen by people, so a plain hash is enough.
/// </summary>
public static class Secret
{
    public static string New() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string hash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(hash));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

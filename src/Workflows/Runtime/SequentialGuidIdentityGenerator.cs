namespace Followup.Workflows.Runtime;

/// <summary>
/// Version 7 UUIDs (RFC 9562) in 32 hex digits, as <c>Guid.CreateVersion7().ToString("N")</c> writes them: the
/// millisecond first, so ids made later sort later and rows inserted by id go in at the end of their index.
/// </summary>
public sealed class SequentialGuidIdentityGenerator : IIdentityGenerator
{
    private const int RandomBytes = 10;

    /// <summary>Cryptographic random bytes fetched 4 KiB at a time: one system call serves about 400 ids, not one.</summary>
    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    public string NewId()
    {
        if (t_random is null)
        {
            t_random = new byte[4096];
            t_used = t_random.Length;
        }
        if (t_used + RandomBytes > t_random.Length)
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(t_random);
            t_used = 0;
        }
        Span<byte> id = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(id[..8], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 16);
        t_random.AsSpan(t_used, RandomBytes).CopyTo(id[6..]);
        t_used += RandomBytes;
        id[6] = (byte)(0x70 | (id[6] & 0x0F)); // version 7
        id[8] = (byte)(0x80 | (id[8] & 0x3F)); // RFC 9562 variant
        return Convert.ToHexStringLower(id);
    }
}

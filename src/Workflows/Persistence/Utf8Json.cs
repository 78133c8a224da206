using System.Text;

namespace Followup.Workflows.Persistence;

/// <summary>
/// JSON text held as UTF-8: the encoding SQLite stores text in and System.Text.Json reads and writes. An instance's
/// state goes from the serializer to the database, stays in the store's copy of the row, and comes back to the
/// serializer without a UTF-16 copy in between (each such copy was twice the size and, kept, twice the work for the GC);
/// so does a burst's journal row. Stored as a text column, so EF Core and PostgreSQL see a string.
/// </summary>
public sealed class Utf8Json : IEquatable<Utf8Json>
{
    private readonly byte[] _bytes;

    public Utf8Json(byte[] bytes) => _bytes = bytes;

    public ReadOnlySpan<byte> Span => _bytes;

    public ReadOnlyMemory<byte> Memory => _bytes;

    public static Utf8Json FromString(string text) => new(Encoding.UTF8.GetBytes(text));

    public static implicit operator Utf8Json(string text) => FromString(text);

    public override string ToString() => Encoding.UTF8.GetString(_bytes);

    public bool Equals(Utf8Json? other) => other is not null && Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => Equals(obj as Utf8Json);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }
}

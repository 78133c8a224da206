namespace Followup.Activities.Data;

/// <summary>Vehicle identification numbers (ISO 3779): 17 characters without I, O or Q, and the check digit in position 9 (required in China and North America).</summary>
public static class Vin
{
    private const string Weights = "8765432X098765432";

    public static bool TryNormalize(string? input, out string vin, out string? error)
    {
        vin = (input ?? "").Trim().ToUpperInvariant();
        error = null;
        if (vin.Length != 17)
            error = "A VIN has 17 characters.";
        else if (vin.Any(c => !char.IsAsciiLetterOrDigit(c) || c is 'I' or 'O' or 'Q'))
            error = "A VIN uses digits and the letters A–Z except I, O and Q.";
        else if (CheckDigit(vin) != vin[8])
            error = "The VIN's check digit (position 9) does not match; please check the number.";
        return error is null;
    }

    /// <summary>The VIN with its check digit put in position 9 (for numbers made up from a serial, as in demo data).</summary>
    public static string WithCheckDigit(string vin) => vin[..8] + CheckDigit(vin) + vin[9..];

    public static char CheckDigit(string vin)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var weight = Weights[i] == 'X' ? 10 : Weights[i] - '0';
            sum += Value(vin[i]) * weight;
        }
        var remainder = sum % 11;
        return remainder == 10 ? 'X' : (char)('0' + remainder);
    }

    private static int Value(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        'A' or 'J' => 1,
        'B' or 'K' or 'S' => 2,
        'C' or 'L' or 'T' => 3,
        'D' or 'M' or 'U' => 4,
        'E' or 'N' or 'V' => 5,
        'F' or 'W' => 6,
        'G' or 'P' or 'X' => 7,
        'H' or 'Y' => 8,
        'R' or 'Z' => 9,
        _ => 0,
    };
}

using Followup.Activities.Messaging;

namespace Followup.Activities.Tests;

public sealed class SmsLengthTests
{
    [Theory]
    [InlineData("", false, 0, 0)]
    [InlineData("Your car is ready.", false, 18, 1)]
    [InlineData("Price: 100€ [incl.]", false, 22, 1)]
    [InlineData("您的爱车已完成保养，可以取车了。", true, 16, 1)]
    [InlineData("Ready 😀", true, 8, 1)]
    public void Counts_units_and_segments_by_encoding(string text, bool unicode, int units, int segments) =>
        Assert.Equal(new SmsLength.Measure(unicode, units, segments), SmsLength.Of(text));

    [Theory]
    [InlineData('a', 160, 1)]
    [InlineData('a', 161, 2)]
    [InlineData('a', 306, 2)]
    [InlineData('a', 307, 3)]
    [InlineData('车', 70, 1)]
    [InlineData('车', 71, 2)]
    [InlineData('车', 134, 2)]
    [InlineData('车', 135, 3)]
    public void A_long_text_goes_in_several_segments_with_room_for_their_headers(char c, int length, int segments) =>
        Assert.Equal(segments, SmsLength.Of(new string(c, length)).Segments);
}

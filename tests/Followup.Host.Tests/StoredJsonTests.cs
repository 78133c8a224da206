using System.Text.Json;
using Followup.Host.Api.Views;

namespace Followup.Host.Tests;

/// <summary>JSON the store kept (a task's form, an approval's lines), sent on in the API's views as it is kept.</summary>
public sealed class StoredJsonTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Kept_JSON_is_sent_as_it_is_and_read_back_the_same()
    {
        const string form = """{"fields":[{"name":"score","labelZh":"\u5BA2\u6237\u8BC4\u5206","options":["1","5"]}],"actions":["Reached"]}""";
        var view = new ApprovalView("a1", "Estimate", "Answered", "PartiallyApproved", StoredJson.Of("""["OIL","AIRF"]"""), "wang", "phone", null, null, null,
            new DateTime(2026, 3, 2), new DateTime(2026, 3, 1));

        var sent = JsonSerializer.Serialize(new { form = new StoredJson(form), view }, Web);

        Assert.StartsWith($$"""{"form":{{form}},""", sent, StringComparison.Ordinal);
        Assert.Contains("\"approvedLines\":[\"OIL\",\"AIRF\"]", sent, StringComparison.Ordinal);
        Assert.Equal(form, JsonSerializer.Deserialize<StoredJson>(form, Web).Json);
    }

    [Fact]
    public void No_lines_are_sent_as_null_and_a_broken_row_fails_rather_than_going_out_broken()
    {
        var view = new ApprovalView("a1", "Estimate", "Pending", null, StoredJson.Of(null), null, null, null, null, null, new DateTime(2026, 3, 2), new DateTime(2026, 3, 1));
        Assert.Contains("\"approvedLines\":null", JsonSerializer.Serialize(view, Web), StringComparison.Ordinal);

        Assert.ThrowsAny<Exception>(() => JsonSerializer.Serialize(new StoredJson("""{"fields":[""")));
        Assert.ThrowsAny<Exception>(() => JsonSerializer.Serialize(new StoredJson("")));
    }
}

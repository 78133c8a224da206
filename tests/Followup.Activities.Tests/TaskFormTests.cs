using Followup.Activities.Tasks;

namespace Followup.Activities.Tests;

/// <summary>A task's form as stored with the task and read back for its page.</summary>
public sealed class TaskFormTests
{
    [Fact]
    public void A_stored_form_keeps_its_Chinese_and_English_labels_options_and_actions()
    {
        var written = TaskForm.Parse("""
            { "fields": [ { "name": "odometer", "type": "number", "required": true, "label": { "zh-CN": "里程表读数（公里）", "en": "Odometer (km)" } },
                          { "name": "fuel", "type": "choice", "options": [ { "value": "F", "label": { "zh-CN": "满", "en": "Full" } } ], "label": { "zh-CN": "油量", "en": "Fuel" } } ],
              "actions": [ { "value": "WorkDone", "label": { "zh-CN": "施工完成", "en": "Work done" } } ] }
            """, null);

        var stored = TaskForm.FromJson(written.ToJson());

        Assert.Equal(["里程表读数（公里）", "油量"], stored.Fields.Select(f => f.Label("zh-CN")));
        Assert.Equal(["Odometer (km)", "Fuel"], stored.Fields.Select(f => f.Label("en")));
        Assert.Equal("满", stored.Fields[1].OptionText("F", "zh-CN"));
        Assert.Equal("施工完成", stored.ActionText("WorkDone", "zh-CN"));
        Assert.Equal("Work done", stored.ActionText("WorkDone", "en"));
    }
}

using Followup.Workflows.Persistence;

namespace Followup.Host.Pages.Instances;

/// <summary>A run's state and its timeline's events in the reader's language.</summary>
public static class InstanceText
{
    private static readonly Dictionary<string, (string Zh, string En)> Events = new(StringComparer.Ordinal)
    {
        ["Started"] = ("开始", "started"),
        ["Completed"] = ("完成", "completed"),
        ["Suspended"] = ("等待", "waits"),
        ["Resumed"] = ("继续", "resumed"),
        ["Faulted"] = ("出错", "faulted"),
        ["Canceled"] = ("取消", "cancelled"),
        ["Escalated"] = ("升级", "escalated"),
        ["Skipped"] = ("跳过", "skipped"),
        ["Workflow cancelled"] = ("流程被取消", "the run was cancelled"),
        ["Workflow finished"] = ("流程结束", "the run was finished"),
    };

    public static string Event(StaffView view, string name) =>
        Events.TryGetValue(name, out var w) ? view.T(w.Zh, w.En) : name;

    public static string State(StaffView view, WorkflowInstanceRecord instance) => (instance.Status, instance.SubStatus) switch
    {
        (_, "Faulted") => view.T($"出错（{instance.IncidentCount} 个事故）", $"Faulted ({instance.IncidentCount} incident{(instance.IncidentCount == 1 ? "" : "s")})"),
        (_, "Cancelled") => view.T("已取消", "Cancelled"),
        ("Finished", _) => view.T("已结束", "Finished"),
        (_, "Suspended") => view.T("等待中", "Waiting"),
        _ => view.T("运行中", "Running"),
    };

    public static string StateFilter(StaffView view, string state) => state switch
    {
        "waiting" => view.T("等待中", "Waiting"),
        "finished" => view.T("已结束", "Finished"),
        "faulted" => view.T("出错", "Faulted"),
        "cancelled" => view.T("已取消", "Cancelled"),
        _ => view.T("全部", "All"),
    };
}

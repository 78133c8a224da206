namespace Followup.Workflows.Abstractions;

/// <summary>A flowchart start milestone: the designer gives it no inbound port.</summary>
public interface IStartNode;

/// <summary>Completing a terminal node completes its flowchart at once.</summary>
public interface ITerminalNode;

/// <summary>An activity that holds an ordered list of child activities (<c>activities</c> in JSON).</summary>
public interface IContainerActivity;

/// <summary>A loop that a <c>Break</c> activity can end.</summary>
public interface IBreakable;

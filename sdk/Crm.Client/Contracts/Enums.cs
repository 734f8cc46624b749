namespace Crm.Client;

/// <summary>Funnel stage of a customer (DOMAIN.md, "Funnel and stages").</summary>
public enum Stage { Lead, Opportunity, Customer, Lost, Invalid }

/// <summary>How a rep touched a customer.</summary>
public enum FollowUpType { Visit, Call, Message, Email }

/// <summary>What a user may do: admins run the server, managers run teams, reps work customers.</summary>
public enum Role { Admin, Manager, Rep }

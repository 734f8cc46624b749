namespace Crm.Sdk;

/// <summary>
/// A normalised identity key of a customer, e.g. kind <c>tax-id</c>, value <c>91310000MA1FL1234X</c>. Two
/// customers with an equal key (same kind and value) are compared.
/// </summary>
/// <param name="Kind">What the key is made of (<c>tax-id</c>, <c>phone</c>, <c>email</c>, <c>core-name</c>...).</param>
/// <param name="Value">The normalised value; compared ordinally.</param>
public sealed record BlockingKey(string Kind, string Value);

// Attribute names and values of one DynamoDB expression, declared as they are used: DynamoDB refuses a declared
// name or value that no expression uses, so nothing is declared ahead.

export const expression = () => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  return {
    names,
    values,
    /** `#a.#b` for the path `a.b`: every part by name, so reserved words such as `state` and `status` are safe. */
    name: (path: string) =>
      path
        .split('.')
        .map((part) => {
          names[`#${part}`] = part;
          return `#${part}`;
        })
        .join('.'),
    value: (value: unknown) => {
      const placeholder = `:v${Object.keys(values).length}`;
      values[placeholder] = value;
      return placeholder;
    },
  };
};

export type Expression = ReturnType<typeof expression>;

/** A message the user must see now (role="alert"); nothing while there is none. */
export function Alert({ message }: { message: string | null }) {
  return message ? (
    <p role="alert" className="alert">
      {message}
    </p>
  ) : null;
}

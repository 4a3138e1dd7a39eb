schema a.b;
import "b.vs";
message M { m: b.M = 1; e: optional = 2; }

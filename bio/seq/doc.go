// Package seq reads and checks the sequences that drug–target models consume:
// protein sequences (FASTA files, one-letter amino-acid codes) and ligand SMILES
// strings, and maps their tokens to integer ids.
//
// # Amino acids
//
// A protein sequence is a string of one-letter IUPAC codes. The 20 standard residues
// are
//
//	A C D E F G H I K L M N P Q R S T V W Y
//
// and six further codes are accepted because public sequence files contain them:
//
//	U  Sec  selenocysteine (the 21st proteinogenic amino acid)
//	O  Pyl  pyrrolysine (the 22nd)
//	B  Asx  D or N (aspartate or asparagine, not resolved)
//	Z  Glx  E or Q (glutamate or glutamine, not resolved)
//	J  Xle  L or I (leucine or isoleucine, not resolved; mass spectrometry)
//	X  Xaa  any or unknown residue
//
// Together these are all 26 upper-case Latin letters. Lower-case letters are
// read as their upper-case codes. Everything else is refused with its position:
// digits, '-' and '.' (alignment gaps: remove them), '*' inside a sequence (a stop
// codon: the sequence is a translated open reading frame, not a protein), spaces
// inside a sequence string. A single '*' that ends a FASTA record is dropped, as
// translation tools write it.
//
// # FASTA
//
// ReadFASTA reads records of the form
//
//	>ID description
//	SEQUENCE LINES
//
// The ID is the first whitespace-separated word of the header; the description is
// the rest. Blank lines and lines starting with ';' (old-style comments) are
// skipped; spaces, tabs and a trailing '\r' inside sequence lines are ignored.
// Positions in errors are 1-based line and column numbers.
//
// # SMILES
//
// TokenizeSMILES splits a SMILES string (OpenSMILES grammar) into the tokens a
// sequence model reads:
//
//	atoms     B C N O P S F Cl Br I and aromatic b c n o p s, the wildcard *,
//	          and bracket atoms such as [nH], [NH4+], [C@@H], [13CH3], [Na+]
//	bonds     - = # $ : / \ and the dot . that separates disconnected parts
//	branches  ( )
//	rings     a digit 0–9, or % followed by two digits (%10 … %99)
//
// Elements outside the organic subset must be written in brackets, so "Sc"
// outside brackets is sulfur followed by an aromatic carbon, as the grammar says.
// The tokens joined without separators give back the input exactly. Errors
// name the 1-based byte position: an unclosed or unmatched bracket or
// parenthesis, a ring bond that is opened and never closed, a character that no
// SMILES token starts with.
//
// # Vocabularies
//
// A Vocabulary maps tokens (SMILES tokens, or residues as one-letter strings) to
// integer ids 0 … Len()-1. Id 0 is padding (PadToken) and id 1 the unknown token
// (UnknownToken); every token not in the vocabulary encodes to UnknownID. The
// order of ids is deterministic: given explicitly, or by descending count and then
// byte order when built from a corpus.
package seq

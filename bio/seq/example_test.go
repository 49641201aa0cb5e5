package seq_test

import (
	"fmt"
	"strings"

	"github.com/sciadapt/sciadapt/bio/seq"
)

func ExampleTokenizeSMILES() {
	toks, err := seq.TokenizeSMILES("Clc1cc[nH]c1C[C@@H](N)C%10CC%10")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Join(toks, " "))

	_, err = seq.TokenizeSMILES("CC(=O")
	fmt.Println(err)
	// Output:
	// Cl c 1 c c [nH] c 1 C [C@@H] ( N ) C %10 C C %10
	// SMILES "CC(=O": position 3: unclosed '('
}

func ExampleReadFASTA() {
	in := ">P08482 CHRM1 (rat)\nMNTSVPPAVSPNITVLAPGKGPWQVAFIGITTGLLSLATVTGNLLVLISFKVNTELKTVNNYFLLSLACADLIIGTFSMNLYTTYLLMGHWALGTLACDLWLALDYVASNASVMNLLLISFDRYFSVTRPLSYRAKRTPRRAALMIGLAWLVSFVLWAPAILFWQYLVGERTVLAGQCYIQFLSQPIITFGTAMAAFYLPVTVMCTLYWRIYRETENRARELAALQGSETPGKGGGSSSSSERSQPGAEGSPESPPGRCCRCCRAPRLLQAYSWKEEEEEDEGSMESLTSSEGEEPGSEVVIKMPMVDPEAQAPTKQPPKSSPNTVKRPTKKGRDRGGKGQKPRGKEQLAKRKTFSLVKEKKAARTLSAILLAFILTWTPYNIMVLVSTFCKDCVPETLWELGYWLCYVNSTVNPMCYALCNKAFRDTFRLLLLCRWDKRRWRKIPKRPGSVHRTPSRQC\n>bad\nMK1\n"
	_, err := seq.ReadFASTA(strings.NewReader(in))
	fmt.Println(err)
	// Output:
	// line 4, column 3: record "bad": invalid residue '1' at position 3 (digits are not residues: is this a numbered GenBank-style sequence?)
}

func ExampleVocabulary() {
	v := seq.ProteinVocabulary()
	fmt.Println(v.Len(), v.EncodeResidues(nil, "MKV*"))
	// Output:
	// 28 [12 10 19 1]
}
